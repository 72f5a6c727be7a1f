using System.Diagnostics;
using System.Globalization;
using Seq2Seq.Benchmarks;
using Seq2Seq.Runtime;

// Throughput and scaling of the library's own model, trainer step and search on synthetic batches shaped
// like Multi30k. Prints one "name value" line per measure. Not a test: numbers vary by machine; compare
// ratios measured in the same process (MFU is relative to the sgemm peak sampled beside each figure).
//   --quick          fewer repetitions
//   --threads N      libtorch CPU threads, fixed (default: all available cores, one while another process takes a core)
//   --contention [NAME]  training throughput beside other work, as ratios to it alone (only co-runners whose name contains NAME)
//   --decode         with --contention: beam-5 search throughput instead of training
//   --interactive MODEL SOURCE  a prefix completion with 5 alternatives against a plain beam-5 translation, per sentence
//   --window S       with --contention: seconds each throughput is measured over (default: 8 with --quick, else 15)
//   --log            the thread governor's samples and decisions on stderr
//   --train-for S    (internal) train for S seconds: the contention benchmark's libtorch co-runner
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
AllocatorTuning.Apply();
var effort = args.Contains("--quick") ? Effort.Quick : Effort.Full;
if (IntAfter("--window") is int window) effort = effort with { ContentionSeconds = window };
var threads = ThreadGovernor.Start(IntAfter("--threads"), args.Contains("--log") ? new StderrLogger() : null);
if (IntAfter("--train-for") is int seconds)
{
    using var probe = new TrainingProbe(threads);
    probe.Run(TimeSpan.FromSeconds(seconds));
    return 0;
}
var clock = Stopwatch.StartNew();
if (args.Contains("--interactive"))
{
    int at = Array.IndexOf(args, "--interactive");
    if (at + 2 >= args.Length) { Console.Error.WriteLine("error: --interactive needs a model folder and a source file"); return 2; }
    new InteractiveCost(args[at + 1], args[at + 2], effort, Console.Out).Run();
}
else if (args.Contains("--contention")) new Contention(effort, Console.Out, threads, ValueAfter("--contention"), args.Contains("--decode")).Run();
else new Measurements(effort, Console.Out).RunAll();
Console.Error.WriteLine($"benchmark finished in {clock.Elapsed.TotalSeconds:F0} s");
return 0;

string? ValueAfter(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && !args[at + 1].StartsWith("--", StringComparison.Ordinal) ? args[at + 1] : null;
}

int? IntAfter(string name)
{
    int at = Array.IndexOf(args, name);
    if (at < 0) return null;
    int value = 0;
    if (at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out value) && value >= 1) return value;
    Console.Error.WriteLine($"error: {name} needs a whole number of at least 1");
    Environment.Exit(2);
    return null;
}
