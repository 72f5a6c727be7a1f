using System.CommandLine;
using Seq2Seq.IO;

namespace Seq2Seq.Cli;

/// <summary>
/// Runs a parsed command and turns failures into one clear line on standard error and an exit code:
/// 1 for bad input (files, options, checkpoints), 2 for usage errors, 3 when a command finished but some
/// input lines could not be processed, 130 when cancelled, 70 for a bug.
/// </summary>
public static class CommandRunner
{
    public const int InputError = 1;
    public const int UsageError = 2;
    public const int SomeLinesFailed = 3;
    public const int Cancelled = 130;
    public const int InternalError = 70;

    /// <summary>Parses and invokes <paramref name="args"/> against <paramref name="root"/>.</summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var parsed = root.Parse(args);
        var config = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            // Ctrl+C/SIGTERM cancel the command's token; training then finishes its step and writes a checkpoint,
            // which on a busy machine takes far longer than System.CommandLine's default two seconds of grace
            // (after which the process would exit under the training thread's feet).
            ProcessTerminationTimeout = TimeSpan.FromMinutes(10),
        };
        if (output is not null) config.Output = output;
        if (error is not null) config.Error = error;
        var errors = error ?? Console.Error;
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors) errors.WriteLine($"error: {parseError.Message}");
            errors.WriteLine("Run with --help to see the options.");
            return UsageError;
        }
        try
        {
            return await parsed.InvokeAsync(config);
        }
        catch (InputException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return InputError;
        }
        catch (OperationCanceledException)
        {
            errors.WriteLine("cancelled");
            return Cancelled;
        }
        catch (Exception e) when (Unwrap(e) is InputException inner)
        {
            errors.WriteLine($"error: {inner.Message}");
            return InputError;
        }
        catch (Exception e)
        {
            errors.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            errors.WriteLine("This is a bug in Seq2Seq; please report it with the command line that caused it.");
            return InternalError;
        }
    }

    private static Exception? Unwrap(Exception e) => e is AggregateException or TypeInitializationException ? e.InnerException : e.InnerException as InputException;
}
