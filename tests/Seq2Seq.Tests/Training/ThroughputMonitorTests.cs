using Seq2Seq.Training;

namespace Seq2Seq.Tests.Training;

public class ThroughputMonitorTests
{
    private static List<string> Warnings(ThroughputMonitor monitor, IEnumerable<double> series) =>
        series.Select(monitor.Observe).OfType<string>().ToList();

    [Fact]
    public void A_steady_run_with_ordinary_noise_gets_no_warning()
    {
        var random = new Random(3);
        var series = Enumerable.Range(0, 500).Select(_ => 1400 * (0.75 + 0.5 * random.NextDouble()));
        Assert.Empty(Warnings(new ThroughputMonitor(threads: 2), series));
    }

    [Fact]
    public void A_collapse_warns_once_per_slow_spell_and_names_the_threads_option()
    {
        var series = Enumerable.Repeat(1400.0, 20)
            .Concat(Enumerable.Repeat(150.0, 30))     // another process takes the CPU
            .Concat(Enumerable.Repeat(1380.0, 10))    // it stops
            .Concat(Enumerable.Repeat(200.0, 5));     // and starts again
        var warnings = Warnings(new ThroughputMonitor(threads: 2), series);
        Assert.Equal(2, warnings.Count);
        Assert.Contains("150 tokens/s", warnings[0]);
        Assert.Contains("11% of this run's recent median (1400)", warnings[0]);
        Assert.Contains("another process may be using the CPU", warnings[0]);
        Assert.Contains("--threads 1", warnings[0]);
    }

    [Fact]
    public void The_first_reports_set_the_baseline_and_are_never_flagged()
    {
        Assert.Empty(Warnings(new ThroughputMonitor(threads: 1), [1400, 100, 1400, 90, 1500]));
        var warnings = Warnings(new ThroughputMonitor(threads: 1), [1400, 1400, 1400, 1400, 1400, 100]);
        Assert.Single(warnings);
        Assert.DoesNotContain("--threads", warnings[0]);
    }
}
