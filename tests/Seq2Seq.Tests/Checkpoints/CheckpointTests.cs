using Seq2Seq.Checkpoints;
using Seq2Seq.Data;
using Seq2Seq.Inference;
using Seq2Seq.IO;
using Seq2Seq.Tests.Support;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Checkpoints;

public class CheckpointTests
{
    [Fact]
    public void Save_then_load_gives_identical_outputs()
    {
        using var dir = new TempDirectory();
        var setup = TinyRuns.ReverseTask(dir, trainPairs: 200, maxEpochs: 1);
        TinyRuns.Train(setup);
        var checkpoint = Checkpoint.Open(setup.Run.Root);
        using var first = checkpoint.LoadModel(CPU);
        var copyDirectory = dir.File("copy");
        Directory.CreateDirectory(copyDirectory);
        Checkpoint.WriteModel(copyDirectory, first, checkpoint.Directory);
        CheckpointManifest.Write(copyDirectory, 0);
        using var second = Checkpoint.Open(copyDirectory).LoadModel(CPU);

        using var batch = Batch.Create([[5, 6, 7], [8, 9]], [[10, 11], [12]], CPU);
        using var noGrad = no_grad();
        var (a, _) = first.forward(batch.Source, batch.SourceLengths, batch.TargetInput!);
        var (b, _) = second.forward(batch.Source, batch.SourceLengths, batch.TargetInput!);
        Assert.True(a.eq(b).all().item<bool>());
        var search = new SearchOptions { BeamSize = 3 };
        Assert.Equal(BeamSearch.Search(first, batch, search)[0][0].Tokens, BeamSearch.Search(second, batch, search)[0][0].Tokens);
    }

    [Fact]
    public void Vocabulary_that_does_not_match_the_weights_is_rejected()
    {
        using var dir = new TempDirectory();
        var setup = TinyRuns.ReverseTask(dir, trainPairs: 200, maxEpochs: 1);
        TinyRuns.Train(setup);
        string checkpoint = RunDirectory.ResolveCheckpoint(setup.Run.Root);
        string vocab = Path.Combine(checkpoint, "target.vocab.json");
        File.WriteAllText(vocab, """{"<pad>": 0, "<unk>": 1, "<s>": 2, "</s>": 3, "a</w>": 4}""");
        File.WriteAllText(Path.Combine(checkpoint, "target.merges.txt"), "#version: 0.2\n");
        CheckpointManifest.Write(checkpoint, 1); // a consistent manifest: the mismatch itself must be caught
        var error = Assert.Throws<InputException>(() => Checkpoint.Open(checkpoint));
        Assert.Contains("target.vocab.json", error.Message);
        Assert.Contains("entries but the model was built for", error.Message);
    }
}
