using Seq2Seq.Training;

namespace Seq2Seq.Tests.Training;

public class TrainingEtaTests
{
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

    [Fact]
    public void The_clock_limit_wins_when_it_comes_first()
    {
        // 100 of 10,000 batches in 10 minutes: the epochs would need 16.5 h more; MaxSeconds (2 h 05 min) leaves 1 h 55 min.
        var eta = TrainingEta.Estimate(100, 0, 10_000, "MaxEpochs", TenMinutes, secondsUsed: 600, maxSeconds: 7500);
        Assert.Equal("MaxSeconds", eta.Limit);
        Assert.Equal(TimeSpan.FromSeconds(6900), eta.Remaining);
    }

    [Fact]
    public void The_work_limit_wins_when_it_comes_first()
    {
        var eta = TrainingEta.Estimate(900, 0, 1000, "MaxEpochs", TenMinutes, secondsUsed: 600, maxSeconds: 7500);
        Assert.Equal("MaxEpochs", eta.Limit);
        Assert.Equal(600 / 900.0 * 100, eta.Remaining!.Value.TotalSeconds, 6);
    }

    [Fact]
    public void A_resumed_run_measures_its_speed_from_the_batches_of_this_session()
    {
        // 500 batches were done before; 100 more in 10 minutes; 400 left → 40 minutes. Earlier sessions used 1 h of the 3 h limit.
        var eta = TrainingEta.Estimate(600, 500, 1000, "MaxSteps", TenMinutes, secondsUsed: 3600 + 600, maxSeconds: 10_800);
        Assert.Equal("MaxSteps", eta.Limit);
        Assert.Equal(2400, eta.Remaining!.Value.TotalSeconds, 6);
    }

    [Fact]
    public void Without_a_clock_limit_or_a_measured_speed()
    {
        Assert.Equal(new TrainingEta(null, "MaxEpochs"), TrainingEta.Estimate(0, 0, 1000, "MaxEpochs", TimeSpan.Zero, 0, 0));
        Assert.Equal(new TrainingEta(TimeSpan.FromSeconds(100), "MaxSeconds"), TrainingEta.Estimate(0, 0, 1000, "MaxEpochs", TimeSpan.Zero, 0, 100));
        Assert.Equal(TimeSpan.Zero, TrainingEta.Estimate(10, 0, 1000, "MaxEpochs", TenMinutes, secondsUsed: 200, maxSeconds: 100).Remaining);
    }
}
