using System.Diagnostics;

namespace Seq2Seq.Benchmarks;

/// <summary>
/// Other work started beside a measurement at <c>nice 19</c>, as a user would start it in another terminal:
/// with <c>setsid</c>, in a session of its own. (Linux's autogroup scheduler shares the CPU fairly between
/// sessions first and applies nice values only within a session, so this is not the same as starting it
/// from the benchmark's own session; <see cref="SameSession"/> keeps it in ours for comparison.)
/// </summary>
public sealed class CoRunner(string name, string command, bool sameSession = false) : IDisposable
{
    private readonly List<Process> _processes = [];

    public string Name { get; } = name;

    public bool SameSession { get; } = sameSession;

    /// <summary>Starts <paramref name="copies"/> copies of the command (a shell command line).</summary>
    public CoRunner Start(int copies = 1)
    {
        for (int i = 0; i < copies; i++)
        {
            var start = new ProcessStartInfo(SameSession ? "nice" : "setsid")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            if (!SameSession) { start.ArgumentList.Add("nice"); }
            foreach (string arg in new[] { "-n", "19", "sh", "-c", command }) start.ArgumentList.Add(arg);
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _processes.Add(process);
        }
        return this;
    }

    /// <summary>Stops every process the command started.</summary>
    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit(10_000);
            process.Dispose();
        }
    }
}
