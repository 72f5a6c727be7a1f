namespace Seq2Seq.Training;

/// <summary>
/// Watches training throughput reports and says so when the speed falls far below the run's own recent median
/// — on a CPU that almost always means another process is using the cores. Warns once per slow spell and
/// again only after the speed has recovered.
/// </summary>
internal sealed class ThroughputMonitor(int threads, bool adaptive = false, int window = 30, int minimumHistory = 5, double slowFraction = 0.5)
{
    private readonly Queue<double> _recent = new();
    private bool _warned;

    /// <summary>Records one report; returns a warning when this report starts a slow spell, otherwise null.</summary>
    public string? Observe(double tokensPerSecond)
    {
        if (!double.IsFinite(tokensPerSecond) || tokensPerSecond <= 0) return null;
        string? warning = null;
        if (_recent.Count >= minimumHistory)
        {
            double median = Median(_recent);
            bool slow = tokensPerSecond < slowFraction * median;
            if (slow && !_warned)
            {
                string advice = adaptive
                    ? "the run uses one thread while another process takes a core."
                    : threads > 1
                        ? $"if the other work goes on, --threads {Math.Max(1, threads / 2)} loses less."
                        : "stop the other work or give this run a core of its own.";
                warning = FormattableString.Invariant(
                    $"Training slowed to {tokensPerSecond:F0} tokens/s, {100 * tokensPerSecond / median:F0}% of this run's recent median ({median:F0}): another process may be using the CPU. With {threads} thread{(threads == 1 ? "" : "s")}, every operation waits for its slowest thread; {advice}");
                _warned = true;
            }
            else if (!slow && tokensPerSecond >= 0.8 * median) _warned = false;
            // A slow spell does not become the new normal: only ordinary reports enter the median.
            if (slow) return warning;
        }
        _recent.Enqueue(tokensPerSecond);
        if (_recent.Count > window) _recent.Dequeue();
        return warning;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
