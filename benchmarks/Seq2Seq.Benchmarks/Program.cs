using System.Diagnostics;
using System.Globalization;
using Seq2Seq.Benchmarks;

// Throughput and scaling of the library's own model, trainer step and search on synthetic batches shaped
// like Multi30k. Prints one "name value" line per measure. Not a test: numbers vary by machine; compare
// ratios measured in the same process (MFU is relative to the sgemm peak measured here).
bool quick = args.Contains("--quick");
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Seq2Seq.Runtime.AllocatorTuning.Apply();
var clock = Stopwatch.StartNew();
var bench = new Measurements(quick ? Effort.Quick : Effort.Full, Console.Out);
bench.RunAll();
Console.Error.WriteLine($"benchmark finished in {clock.Elapsed.TotalSeconds:F0} s");
