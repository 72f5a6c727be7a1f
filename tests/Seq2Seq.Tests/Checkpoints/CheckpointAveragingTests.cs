using Seq2Seq.Checkpoints;
using Seq2Seq.IO;
using Seq2Seq.Tests.Support;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Checkpoints;

public class CheckpointAveragingTests
{
    [Fact]
    public void The_average_is_the_element_wise_mean_and_loads_as_a_checkpoint()
    {
        using var dir = new TempDirectory();
        var setup = TinyRuns.ReverseTask(dir, trainPairs: 200, maxEpochs: 3);
        setup.Training.KeepCheckpoints = 3;
        TinyRuns.Train(setup);
        var recent = setup.Run.RecentCheckpoints(3);
        Assert.Equal(3, recent.Count);

        string averaged = CheckpointAveraging.Average(recent, dir.File("averaged"));

        var models = recent.Select(c => Checkpoint.Open(c).LoadModel(CPU)).ToList();
        using var result = Checkpoint.Open(averaged).LoadModel(CPU);
        foreach (var (name, tensor) in result.state_dict())
        {
            float[] actual = tensor.data<float>().ToArray();
            var inputs = models.Select(m => m.state_dict()[name].data<float>().ToArray()).ToList();
            for (int i = 0; i < actual.Length; i += Math.Max(1, actual.Length / 50))
                Assert.Equal(inputs.Average(x => (double)x[i]), actual[i], 5);
        }
        foreach (var model in models) model.Dispose();
    }

    [Fact]
    public void Checkpoints_of_different_models_are_refused_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        var first = TinyRuns.ReverseTask(dir, trainPairs: 100, maxEpochs: 1);
        TinyRuns.Train(first);
        using var otherDir = new TempDirectory();
        var second = TinyRuns.ReverseTask(otherDir, trainPairs: 100, maxEpochs: 1);
        second.Model.DecoderHiddenSize = 40;
        TinyRuns.Train(second);

        var error = Assert.Throws<InputException>(() => CheckpointAveraging.Average(
            [first.Run.Pointer(RunDirectory.LastPointer)!, second.Run.Pointer(RunDirectory.LastPointer)!], dir.File("mixed")));
        Assert.Contains("different model configuration", error.Message);
        Assert.False(Directory.Exists(dir.File("mixed")));
    }
}
