using System.Diagnostics;

namespace Seq2Seq.Benchmarks;

/// <summary>Where a co-runner is started, which decides whether its <c>nice 19</c> means anything.</summary>
internal enum Placement
{
    /// <summary>In the benchmark's own session: nice applies against the training.</summary>
    SameSession,

    /// <summary>In a session of its own, as from another terminal, SSH login or job runner: Linux's autogroup
    /// scheduler first shares the CPU fairly between sessions, so <c>nice 19</c> inside it gains the training nothing.</summary>
    OtherSession,

    /// <summary>In a session of its own whose autogroup is also set to nice 19 (<c>echo 19 &gt; /proc/self/autogroup</c>).</summary>
    OtherSessionNiceGroup,
}

/// <summary>Other work started beside a measurement at <c>nice 19</c> and stopped (with all its children) on dispose.</summary>
internal sealed class CoRunner(string name, string command, Placement placement) : IDisposable
{
    private readonly List<Process> _processes = [];

    public string Name { get; } = name;

    public Placement Placement { get; } = placement;

    /// <summary>Starts <paramref name="copies"/> copies of the command (a shell command line).</summary>
    public CoRunner Start(int copies = 1)
    {
        string script = Placement == Placement.OtherSessionNiceGroup
            ? $"echo 19 > /proc/self/autogroup; exec nice -n 19 sh -c \"$0\""
            : "exec nice -n 19 sh -c \"$0\"";
        for (int i = 0; i < copies; i++)
        {
            var start = new ProcessStartInfo(Placement == Placement.SameSession ? "sh" : "setsid")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            if (Placement != Placement.SameSession) start.ArgumentList.Add("sh");
            foreach (string arg in new[] { "-c", script, command }) start.ArgumentList.Add(arg);
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _processes.Add(process);
        }
        return this;
    }

    /// <summary>Completes when every copy has exited (for a co-runner that ends by itself).</summary>
    public Task Finished => Task.WhenAll(_processes.Select(p => p.WaitForExitAsync()));

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
