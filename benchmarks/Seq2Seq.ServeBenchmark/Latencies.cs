namespace Seq2Seq.ServeBenchmark;

/// <summary>Percentiles of a set of latencies (nearest rank).</summary>
public static class Latencies
{
    public static double Percentile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
