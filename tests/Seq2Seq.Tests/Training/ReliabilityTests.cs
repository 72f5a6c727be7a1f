using Microsoft.Extensions.Logging;
using Seq2Seq.Checkpoints;
using Seq2Seq.IO;
using Seq2Seq.Training;
using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Training;

[Collection(GlobalRandomCollection.Name)]
public class ReliabilityTests
{
    private static TrainingSetup Setup(TempDirectory dir, int maxEpochs = 3)
    {
        var setup = TinyRuns.ReverseTask(dir, trainPairs: 300, maxEpochs: maxEpochs);
        setup.Model.Dropout = 0.2; // exercises the dropout masks' resumption too
        setup.Training.ReportSeconds = 0.1;
        return setup;
    }

    private static byte[] FinalWeights(TrainingSetup setup) =>
        File.ReadAllBytes(Path.Combine(setup.Run.Pointer(RunDirectory.LastPointer)!, Checkpoint.WeightsFile));

    /// <summary>Cancels the run at the first progress report after <paramref name="afterStep"/>.</summary>
    private sealed class CancelAfter(long afterStep, CancellationTokenSource source) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step >= afterStep) source.Cancel();
        }
    }

    [Fact]
    public void An_interrupted_and_resumed_run_ends_bit_identical_to_an_uninterrupted_one()
    {
        using var straightDir = new TempDirectory();
        var straight = Setup(straightDir);
        var uninterrupted = TinyRuns.Train(straight);

        using var resumedDir = new TempDirectory();
        var resumed = Setup(resumedDir);
        using var cancel = new CancellationTokenSource();
        var first = new Trainer(resumed, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, new CancelAfter(5, cancel)).Run(resume: false, cancel.Token);
        Assert.Equal(TrainingEnd.Interrupted, first.End);
        Assert.InRange(first.Steps, 5, uninterrupted.Steps - 1);
        var second = TinyRuns.Train(resumed, resume: true);

        Assert.Equal(uninterrupted.Steps, second.Steps);
        Assert.Equal(FinalWeights(straight), FinalWeights(resumed));
    }

    [Fact]
    public void Non_finite_losses_are_skipped_with_a_warning_and_training_goes_on()
    {
        using var dir = new TempDirectory();
        var setup = Setup(dir, maxEpochs: 1);
        var logger = new RecordingLogger();
        int calls = 0;
        var outcome = new Trainer(setup, logger) { NonFiniteLossAt = _ => ++calls is 3 or 4 }.Run(resume: false, CancellationToken.None);

        Assert.Equal(TrainingEnd.Completed, outcome.End);
        Assert.Equal(calls - 2, outcome.Steps); // every batch was tried; the two bad ones did not count as updates
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("not finite")));
        Assert.Contains("batch 3 of epoch 1", logger.Entries.First(e => e.Level == LogLevel.Warning).Message);
        using var model = Checkpoint.Open(setup.Run.Root).LoadModel(TorchSharp.torch.CPU);
        Assert.All(model.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
    }

    [Fact]
    public void Repeated_non_finite_losses_stop_the_run_and_keep_the_last_good_checkpoint()
    {
        using var dir = new TempDirectory();
        var setup = Setup(dir, maxEpochs: 2);
        setup.Training.CheckpointEvery = 3;
        setup.Training.MaxBadBatches = 2;
        var trainer = new Trainer(setup, new RecordingLogger()) { NonFiniteLossAt = step => step >= 4 };

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Run(resume: false, CancellationToken.None));
        Assert.Contains("2 consecutive batches had a non-finite loss", error.Message);
        string last = setup.Run.Pointer(RunDirectory.LastPointer)!;
        Assert.EndsWith("step-00000003", last);
        Assert.Contains(last, error.Message);
        using var model = Checkpoint.Open(last).LoadModel(TorchSharp.torch.CPU); // complete and verified
    }

    [Fact]
    public void A_checkpoint_that_cannot_be_written_stops_with_a_clear_error_and_leaves_the_previous_one_intact()
    {
        using var dir = new TempDirectory();
        var setup = Setup(dir, maxEpochs: 2);
        setup.Training.CheckpointEvery = 4;
        setup.Training.MaxSteps = 4;
        TinyRuns.Train(setup);
        string previous = setup.Run.Pointer(RunDirectory.LastPointer)!;
        string lastPointer = File.ReadAllText(Path.Combine(setup.Run.Root, RunDirectory.LastPointer + ".json"));

        // Files where the next checkpoint folders must go make their final rename fail, as a full disk would fail a write.
        for (int step = 5; step <= 8; step++)
            File.WriteAllText(Path.Combine(setup.Run.CheckpointsDirectory, $"step-{step:D8}"), "in the way");
        setup.Training.MaxSteps = 8;
        var error = Assert.Throws<InputException>(() => TinyRuns.Train(setup, resume: true));

        Assert.Contains("cannot write the checkpoint for step", error.Message);
        Assert.Contains("previous checkpoint is intact", error.Message);
        Assert.Equal(lastPointer, File.ReadAllText(Path.Combine(setup.Run.Root, RunDirectory.LastPointer + ".json")));
        Assert.Empty(Directory.GetDirectories(setup.Run.CheckpointsDirectory, ".tmp-*"));
        using var model = Checkpoint.Open(previous).LoadModel(TorchSharp.torch.CPU);
    }
}
