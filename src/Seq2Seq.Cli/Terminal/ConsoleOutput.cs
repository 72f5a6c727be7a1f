using Spectre.Console;

namespace Seq2Seq.Cli.Terminal;

/// <summary>The console for logs and progress: standard error, so standard output stays clean for translations.</summary>
public static class ConsoleOutput
{
    public static IAnsiConsole ForDiagnostics()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        // Log files and CI logs should get whole lines, not lines wrapped at an assumed 80 columns.
        if (Console.IsErrorRedirected) console.Profile.Width = 100_000;
        return console;
    }

    /// <summary>Flushes what was written (the underlying writer may buffer).</summary>
    public static void Flush(this IAnsiConsole console) => Console.Error.Flush();
}
