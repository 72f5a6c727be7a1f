using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Seq2Seq.Cli.Terminal;

/// <summary>
/// Writes log lines (<c>12:03:04 warn: message</c>) through Spectre.Console, so they appear above a live
/// progress bar instead of tearing it; on a redirected stream they are plain text lines.
/// </summary>
public sealed class TerminalLoggerProvider(IAnsiConsole console) : ILoggerProvider
{
    private readonly Lock _lock = new();

    public ILogger CreateLogger(string categoryName) => new TerminalLogger(this);

    public void Dispose() { }

    private void Write(LogLevel level, string message, Exception? exception)
    {
        string prefix = level switch
        {
            LogLevel.Warning => "[yellow]warn:[/] ",
            LogLevel.Error => "[red]error:[/] ",
            LogLevel.Critical => "[red]critical:[/] ",
            _ => "",
        };
        string text = $"[grey]{DateTime.Now:HH:mm:ss}[/] {prefix}{Markup.Escape(message)}";
        if (exception is not null && level >= LogLevel.Error) text += Markup.Escape($" ({exception.GetType().Name}: {exception.Message})");
        lock (_lock) console.MarkupLine(text);
    }

    private sealed class TerminalLogger(TerminalLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) provider.Write(logLevel, formatter(state, exception), exception);
        }
    }
}
