using Spectre.Console;

namespace Seq2Seq.Cli.Terminal;

/// <summary>The console for logs and progress: standard error, so standard output stays clean for translations.</summary>
public static class ConsoleOutput
{
    public static IAnsiConsole ForDiagnostics() =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Flushes what was written (the underlying writer may buffer).</summary>
    public static void Flush(this IAnsiConsole console) => Console.Error.Flush();
}
