using Seq2Seq.Training;
using Seq2Seq.Checkpoints;
using Seq2Seq.Inference;
using Seq2Seq.IO;
using Seq2Seq.Tests.Support;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Training;

public class TrainerTests
{
    [Theory]
    [InlineData(Seq2Seq.Model.ModelConfig.BahdanauDecoder)]
    [InlineData(Seq2Seq.Model.ModelConfig.ConditionalDecoder)]
    public void A_tiny_model_learns_to_reverse_word_order(string decoder)
    {
        using var dir = new TempDirectory();
        var setup = TinyRuns.ReverseTask(dir, trainPairs: 3000, maxEpochs: 12, decoder: decoder);
        var outcome = TinyRuns.Train(setup);
        Assert.NotNull(outcome.BestCheckpoint);

        var checkpoint = Checkpoint.Open(setup.Run.Root);
        using var model = checkpoint.LoadModel(CPU);
        var test = TinyRuns.ReversePairs(200, seed: 999);
        var translator = new Translator(model, checkpoint.SourceTokenizer, checkpoint.TargetTokenizer, CPU);
        var output = translator.Translate(test.Select(p => p.Source).ToList(), new SearchOptions { BeamSize = 1 }, 64);
        int correct = 0, total = 0;
        for (int i = 0; i < test.Count; i++)
        {
            var expected = test[i].Target.Split(' ');
            var actual = output[i].Best.Split(' ');
            total += expected.Length;
            correct += expected.Where((w, k) => k < actual.Length && actual[k] == w).Count();
        }
        double accuracy = correct / (double)total;
        Assert.True(accuracy >= 0.99, $"token accuracy {accuracy:P2}");
    }

    [Fact]
    public void Training_writes_best_and_last_and_refuses_to_overwrite_a_run()
    {
        using var dir = new TempDirectory();
        var setup = TinyRuns.ReverseTask(dir, trainPairs: 300, maxEpochs: 2);
        var outcome = TinyRuns.Train(setup);
        Assert.Equal(Seq2Seq.Training.TrainingEnd.Completed, outcome.End);
        Assert.NotNull(setup.Run.Pointer(RunDirectory.BestPointer));
        Assert.NotNull(setup.Run.Pointer(RunDirectory.LastPointer));
        Assert.True(File.Exists(setup.Run.ConfigFile));
        // The run draws its own validation curve.
        using (var curve = SkiaSharp.SKBitmap.Decode(Path.Combine(setup.Run.Root, ValidationPlot.FileName)))
            Assert.Equal((900, 500), (curve.Width, curve.Height));
        var error = Assert.Throws<InputException>(() => TinyRuns.Train(setup));
        Assert.Contains("--resume", error.Message);
    }

    [Fact]
    public void MinCheckpoints_writes_checkpoints_at_even_fractions_of_the_budget_so_average_last_takes_the_end()
    {
        using var dir = new TempDirectory();
        var setup = TinyRuns.ReverseTask(dir, trainPairs: 600, maxEpochs: 2);
        setup.Training.KeepCheckpoints = 20;
        setup.Training.MinCheckpoints = 6;
        var outcome = TinyRuns.Train(setup);
        Assert.Equal(2, outcome.History.Count);   // validation stays at the epoch ends
        // Checkpoints at 1/6, 2/6, the epoch end (3/6), 4/6, 5/6 and the end: each within a step of its place.
        var steps = setup.Run.RecentCheckpoints(20).Select(c => double.Parse(Path.GetFileName(c)["step-".Length..])).ToList();
        Assert.Equal(6, steps.Count);
        for (int k = 1; k <= 6; k++) Assert.InRange(steps[k - 1], k * outcome.Steps / 6.0 - 0.01, k * outcome.Steps / 6.0 + 1.01);

        using var plain = new TempDirectory();
        var epochEndsOnly = TinyRuns.ReverseTask(plain, trainPairs: 600, maxEpochs: 2);
        epochEndsOnly.Training.KeepCheckpoints = 20;
        TinyRuns.Train(epochEndsOnly);
        Assert.Equal(2, epochEndsOnly.Run.RecentCheckpoints(20).Count);
    }

    [Fact]
    public void Checkpoints_written_between_validations_are_pruned_as_they_are_written()
    {
        using var dir = new TempDirectory();
        var setup = TinyRuns.ReverseTask(dir, trainPairs: 600, maxEpochs: 1);
        setup.Training.KeepCheckpoints = 2;
        setup.Training.MinCheckpoints = 6;   // checkpoints between validations (the one validation ends the epoch)
        int most = 0;
        // The hook runs before every update: it counts the checkpoints on disk at that moment.
        var trainer = new Trainer(setup, new RecordingLogger())
        {
            NonFiniteLossAt = _ =>
            {
                most = Math.Max(most, setup.Run.RecentCheckpoints(100).Count);
                return false;
            },
        };
        trainer.Run(resume: false, CancellationToken.None);
        Assert.Equal(2, most);
        Assert.Equal(2, setup.Run.RecentCheckpoints(100).Count);
    }

    [Fact]
    public void Cancellation_saves_a_checkpoint_that_resumes()
    {
        using var dir = new TempDirectory();
        var setup = TinyRuns.ReverseTask(dir, trainPairs: 300, maxEpochs: 2);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var outcome = TinyRuns.Train(setup, cancellation: cancelled.Token);
        Assert.Equal(Seq2Seq.Training.TrainingEnd.Interrupted, outcome.End);
        Assert.NotNull(outcome.LastCheckpoint);
        var resumed = TinyRuns.Train(setup, resume: true);
        Assert.Equal(Seq2Seq.Training.TrainingEnd.Completed, resumed.End);
        Assert.True(resumed.Steps > 0);
    }

    [Fact]
    public void Resuming_without_a_checkpoint_is_an_error()
    {
        using var dir = new TempDirectory();
        var setup = TinyRuns.ReverseTask(dir, trainPairs: 50, maxEpochs: 1);
        Assert.Contains("no checkpoint to resume", Assert.Throws<InputException>(() => TinyRuns.Train(setup, resume: true)).Message);
    }
}
