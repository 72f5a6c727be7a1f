using System.Diagnostics;
using Seq2Seq.Runtime;

namespace Seq2Seq.Benchmarks;

/// <summary>
/// Training (or, with <c>--decode</c>, beam-5 search) throughput beside other work, as a ratio to the throughput
/// alone measured around it, each with its goal (0.6 beside another session's work, 0.9 beside niced work): busy loops,
/// a second libtorch process (this benchmark training too) and <c>dotnet build</c> of this solution in a
/// scratch clone. Every co-runner runs at <c>nice 19</c>, is started and stopped here, and lasts one window, except
/// <c>one_dotnet_build</c>: one build, measured from its start to its end, so the time the thread count takes to
/// follow it counts.
/// Busy loops also run from another session without lowering its autogroup (see <see cref="Placement"/>): the
/// way a <c>nice 19</c> batch from another terminal takes half the CPU from training all the same.
/// </summary>
internal sealed class Contention(Effort effort, TextWriter output, ThreadGovernor threads, string? only = null, bool decode = false)
{
    public void Run()
    {
        var window = TimeSpan.FromSeconds(effort.ContentionSeconds);
        string self = Environment.ProcessPath!;
        string benchmark = typeof(Contention).Assembly.Location;
        string? clone = CloneSolution();
        const string busy = "while :; do :; done";
        var coRunners = new List<(CoRunner Runner, int Copies)>
        {
            (new("busy_loops_same_session", busy, Placement.SameSession), 2),
            (new("busy_loops_other_session", busy, Placement.OtherSession), 2),
            (new("busy_loops", busy, Placement.OtherSessionNiceGroup), 2),
            (new("libtorch", $"exec '{self}' '{benchmark}' --train-for {effort.ContentionSeconds + 10}", Placement.OtherSessionNiceGroup), 1),
        };
        if (clone is not null)
        {
            string build = $"cd '{clone}' && dotnet build Seq2Seq.sln -c Release --no-incremental -nologo -v q >/dev/null 2>&1";
            string buildLoop = $"while :; do {build}; done";
            coRunners.Add((new("dotnet_build_other_session", buildLoop, Placement.OtherSession), 1));
            coRunners.Add((new("dotnet_build", buildLoop, Placement.OtherSessionNiceGroup), 1));
            // One build from start to end, reaction time included: what a build in another terminal costs a run.
            coRunners.Add((new("one_dotnet_build_other_session", build, Placement.OtherSession), 1));
        }
        if (only is not null) coRunners.RemoveAll(c => !c.Runner.Name.Contains(only, StringComparison.Ordinal));

        using IThroughputProbe probe = decode ? new DecodeProbe(threads) : new TrainingProbe(threads);
        string kind = decode ? "decode_beam5" : "train";
        // With the adaptive thread count (no --threads), each window starts once the governor has had time to react.
        var settle = TimeSpan.FromSeconds(threads.Adaptive ? 12 : 3);
        output.WriteLine($"contention_{kind}_threads {(threads.Adaptive ? $"adaptive (up to {threads.Threads})" : threads.Threads.ToString())}");
        double alone = probe.Run(window);
        output.WriteLine($"contention_{kind}_alone_{probe.Unit} {alone:0}");
        foreach (var (coRunner, copies) in coRunners)
        {
            double beside;
            int threadsBeside;
            bool once = coRunner.Name.StartsWith("one_", StringComparison.Ordinal);
            using (coRunner.Start(copies))
            {
                if (once)
                {
                    using var finished = new CancellationTokenSource();
                    coRunner.Finished.ContinueWith(_ => finished.Cancel(), TaskScheduler.Default);
                    var lasted = Stopwatch.StartNew();
                    beside = probe.Run(TimeSpan.FromMinutes(10), finished.Token);
                    output.WriteLine($"contention_{kind}_{coRunner.Name}_seconds {lasted.Elapsed.TotalSeconds:0}");
                }
                else
                {
                    probe.Run(settle);
                    beside = probe.Run(window);
                }
                threadsBeside = probe.Threads;
            }
            if (coRunner.Name.Contains("dotnet_build", StringComparison.Ordinal)) Shell("dotnet build-server shutdown >/dev/null 2>&1");
            // The governor returns to every core once other processes have left a core free for a few seconds: timed
            // in short slices (each ends after a whole step or search), then the run settles before it is measured alone.
            var recovery = Stopwatch.StartNew();
            while (probe.Threads < threads.MaxThreads && recovery.Elapsed < TimeSpan.FromMinutes(3)) probe.Run(TimeSpan.FromSeconds(0.25));
            if (threads.Adaptive) output.WriteLine($"contention_{kind}_{coRunner.Name}_recovery_seconds {recovery.Elapsed.TotalSeconds:0.0}");
            probe.Run(settle);
            // Alone before and after: the ratio holds while the machine's own speed drifts.
            double aloneAfter = probe.Run(window);
            output.WriteLine($"contention_{kind}_{coRunner.Name}_{probe.Unit} {beside:0} (alone {alone:0} before, {aloneAfter:0} after; {threadsBeside} thread(s) at the end beside it, {probe.Threads} alone after)");
            double ratio = beside / ((alone + aloneAfter) / 2);
            // Beside another session's work the fair share is one core of two; beside niced work, nearly all of it.
            double goal = coRunner.Placement == Placement.OtherSession ? 0.6 : 0.9;
            output.WriteLine($"contention_{kind}_{coRunner.Name}_ratio {ratio:0.###} (goal >= {goal}: {(ratio >= goal ? "met" : "missed")})");
            alone = aloneAfter;
        }
        if (clone is not null) Directory.Delete(clone, recursive: true);
    }

    /// <summary>A scratch clone of this repository for the build co-runner (null when not run from a clone).</summary>
    private static string? CloneSolution()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Seq2Seq.sln"))) root = root.Parent;
        if (root is null) return null;
        string clone = Path.Combine(Path.GetTempPath(), $"seq2seq-contention-{Environment.ProcessId}");
        Shell($"git clone --quiet --local '{root.FullName}' '{clone}'");
        return Directory.Exists(clone) ? clone : null;
    }

    private static void Shell(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", command } })!;
        process.WaitForExit();
    }
}
