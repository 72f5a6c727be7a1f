using Seq2Seq.Training;

namespace Seq2Seq.Tests.Training;

public class LearningRateScheduleTests
{
    private static TrainingOptions Options(string schedule) => new()
    {
        LearningRate = 0.002, MinLearningRate = 1e-5, WarmupSteps = 100, Schedule = schedule, DecayPatience = 1, DecayFactor = 0.5,
    };

    [Fact]
    public void Cosine_goes_from_the_peak_after_warm_up_to_the_floor_at_the_end_of_the_budget()
    {
        var schedule = new LearningRateSchedule(Options("cosine"));
        Assert.Equal(0.001, schedule.At(50, 0.002, progress: 0), 12);            // warm-up: half way up
        Assert.Equal(0.002, schedule.At(100, 0.002, progress: 0), 12);
        Assert.Equal(1e-5 + (0.002 - 1e-5) / 2, schedule.At(5000, 0.002, progress: 0.5), 12);
        Assert.Equal(1e-5, schedule.At(9000, 0.002, progress: 1), 12);
        Assert.Equal(1e-5, schedule.At(9000, 0.002, progress: 7), 12);          // past the budget: the floor
        double previous = double.MaxValue;
        for (double p = 0; p <= 1; p += 0.05)
        {
            double rate = schedule.At(1000, 0.002, p);
            Assert.True(rate < previous);
            previous = rate;
        }
    }

    [Fact]
    public void Cosine_never_decays_on_a_plateau_but_still_counts_validations_for_early_stopping()
    {
        var options = Options("cosine");
        var state = new TrainingState { LearningRate = options.LearningRate };
        var schedule = new LearningRateSchedule(options);
        schedule.Observe(state, 30);
        for (int i = 0; i < 5; i++) Assert.False(schedule.Observe(state, 29));
        Assert.Equal(0.002, state.LearningRate);
        Assert.Equal(5, state.ValidationsWithoutImprovement);
    }

    [Fact]
    public void Plateau_ignores_the_budget_and_halves_on_a_plateau()
    {
        var options = Options("plateau");
        var schedule = new LearningRateSchedule(options);
        Assert.Equal(0.002, schedule.At(5000, 0.002, progress: 0.9), 12);
        var state = new TrainingState { LearningRate = options.LearningRate };
        schedule.Observe(state, 30);
        schedule.Observe(state, 29);
        Assert.Equal(0.001, state.LearningRate, 12);
    }
}

public class CosineScheduleInTrainingTests
{
    [Fact]
    public void A_cosine_run_is_half_way_down_after_half_its_epochs_and_at_the_floor_at_the_end()
    {
        using var dir = new Support.TempDirectory();
        var setup = Support.TinyRuns.ReverseTask(dir, trainPairs: 300, maxEpochs: 2);
        setup.Training.Schedule = "cosine";
        setup.Training.WarmupSteps = 0;
        setup.Training.MinLearningRate = 1e-4;
        Support.TinyRuns.Train(setup);
        var state = System.Text.Json.JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(
            Path.Combine(setup.Run.Pointer(Seq2Seq.Checkpoints.RunDirectory.LastPointer)!, TrainingCheckpoint.StateFile)))!;
        Assert.Equal(2, state.History.Count);
        Assert.Equal(1e-4 + (0.005 - 1e-4) / 2, state.History[0].LearningRate, 9);
        Assert.Equal(1e-4, state.History[1].LearningRate, 9);
    }
}
