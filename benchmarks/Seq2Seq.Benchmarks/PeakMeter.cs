using System.Diagnostics;
using static TorchSharp.torch;

namespace Seq2Seq.Benchmarks;

/// <summary>
/// The machine's matrix-multiply peak (1024³ sgemm), sampled next to every figure: on a shared machine it
/// drifts by tens of percent within minutes, so an MFU divides by the peak measured just before and just
/// after its own figure (the higher of the two), and the report gives the median and the range of all samples.
/// </summary>
internal sealed class PeakMeter : IDisposable
{
    private const double FlopsPerProduct = 2.0 * 1024 * 1024 * 1024;
    private readonly Tensor _a = randn(1024, 1024);
    private readonly Tensor _b = randn(1024, 1024);
    private readonly int _repeats;

    public PeakMeter(int repeats)
    {
        _repeats = repeats;
        // Clock boost, thread pool and page faults settle in the first second.
        for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < 1.0;) _a.mm(_b).Dispose();
    }

    /// <summary>Every sample taken so far, in FLOP/s.</summary>
    public List<double> Samples { get; } = [];

    /// <summary>One sample: the median time of a few products.</summary>
    public double Sample()
    {
        var times = new List<double>();
        for (int i = 0; i < _repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            _a.mm(_b).Dispose();
            times.Add(watch.Elapsed.TotalSeconds);
        }
        double flops = FlopsPerProduct / Statistics.Median(times);
        Samples.Add(flops);
        return flops;
    }

    /// <summary>Runs <paramref name="measure"/> (which returns FLOP/s) between two samples and returns its ratio to the higher one.</summary>
    public double Utilisation(Func<double> measure)
    {
        double before = Sample();
        double flops = measure();
        double after = Sample();
        // Noise only ever lowers a sample, so the better of the two is the closer estimate of the peak.
        return flops / Math.Max(before, after);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }
}
