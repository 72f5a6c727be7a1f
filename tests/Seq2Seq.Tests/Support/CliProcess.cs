using System.Diagnostics;

namespace Seq2Seq.Tests.Support;

/// <summary>The result of running the real <c>seq2seq</c> program.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}

/// <summary>
/// Runs the built <c>seq2seq</c> program as a separate process, as a user would: exit codes, standard
/// streams and native crashes are all real.
/// </summary>
public static class CliProcess
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "seq2seq.dll");

    public static CliResult Run(params string[] args) => RunIn(Directory.GetCurrentDirectory(), null, args);

    public static CliResult RunIn(string workingDirectory, string? standardInput, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null) process.StandardInput.Write(standardInput);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"seq2seq {string.Join(' ', args)} did not finish in 5 minutes");
        }
        return new CliResult(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Starts the command without waiting (standard streams redirected; the caller drains or ignores them).</summary>
    public static Process Start(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Program);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }
}
