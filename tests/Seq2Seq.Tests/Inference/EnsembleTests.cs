using System.CommandLine;
using Seq2Seq.Cli;
using Seq2Seq.Cli.Commands;
using Seq2Seq.Data;
using Seq2Seq.Inference;
using Seq2Seq.Model;
using Seq2Seq.Text;
using Seq2Seq.Tests.Support;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Inference;

public class EnsembleTests
{
    private static readonly List<int[]> Sources = TinyModels.RandomSequences(10, 1, 9, 24, seed: 31);

    /// <summary>A second instance holding the same weights.</summary>
    private static Seq2SeqModel CopyOf(Seq2SeqModel model)
    {
        var copy = new Seq2SeqModel(model.Config);
        using (no_grad())
            foreach (var (name, parameter) in copy.named_parameters()) parameter.copy_(model.named_parameters().Single(p => p.name == name).parameter);
        return copy;
    }

    private static void FavourEnd(Seq2SeqModel model)
    {
        // A random model rarely ends a sentence; favour the end token so that most hypotheses finish.
        using (no_grad()) model.named_parameters().Single(p => p.name == "decoder.output.bias").parameter[SpecialTokens.EosId].add_(3.0);
    }

    [Fact]
    public void An_ensemble_of_one_and_an_ensemble_of_two_copies_search_exactly_as_the_model()
    {
        using var model = TinyModels.Create(seed: 41);
        using var copy = CopyOf(model);
        using var batch = Batch.Create(Sources, null, CPU);
        var options = new SearchOptions { BeamSize = 4, NBest = 2 };
        var single = BeamSearch.Search(model, batch, options);
        foreach (var ensemble in new[] { new Ensemble([model]), new Ensemble([model, copy], [3.0, 1.0]) })
        {
            var together = BeamSearch.Search(ensemble, batch, options);
            for (int i = 0; i < Sources.Count; i++)
            for (int n = 0; n < single[i].Count; n++)
            {
                Assert.Equal(single[i][n].Tokens, together[i][n].Tokens);
                Assert.Equal(single[i][n].TokenLogProbs, together[i][n].TokenLogProbs);
                Assert.Equal(single[i][n].Attention, together[i][n].Attention);
            }
        }
    }

    [Fact]
    public void A_step_gives_the_weighted_average_of_the_members_log_probabilities_and_attention()
    {
        using var a = TinyModels.Create(seed: 42);
        using var b = TinyModels.Create(seed: 43);
        var ensemble = new Ensemble([a, b], [1.0, 3.0]);
        Assert.Equal([0.25f, 0.75f], ensemble.Weights);
        ensemble.Eval();
        using var noGrad = no_grad();
        using var batch = Batch.Create(Sources, null, CPU);
        var (memories, states) = ensemble.Encode(batch.Source, batch.SourceLengths);
        using var previous = full(Sources.Count, SpecialTokens.BosId, dtype: int64);
        var (logProbs, _, attention) = ensemble.Step(previous, states, memories);
        var (logProbsA, _, attentionA) = a.Decoder.Step(previous, states[0], memories[0]);
        var (logProbsB, _, attentionB) = b.Decoder.Step(previous, states[1], memories[1]);
        float[] expected = logProbsA.data<float>().ToArray(), other = logProbsB.data<float>().ToArray(), actual = logProbs.data<float>().ToArray();
        for (int i = 0; i < actual.Length; i++) Assert.Equal(0.25 * expected[i] + 0.75 * other[i], actual[i], 1e-5);
        float[] weightsA = attentionA.data<float>().ToArray(), weightsB = attentionB.data<float>().ToArray(), weights = attention.data<float>().ToArray();
        for (int i = 0; i < weights.Length; i++) Assert.Equal(0.25 * weightsA[i] + 0.75 * weightsB[i], weights[i], 1e-5);
        // Averaged attention still sums to 1 over each row's real source tokens.
        var rowSums = attention.sum(1).data<float>().ToArray();
        Assert.All(rowSums, s => Assert.Equal(1.0, s, 5));
    }

    [Fact]
    public void Scoring_an_ensemble_translation_gives_back_its_log_probability()
    {
        using var a = TinyModels.Create(seed: 44);
        using var b = TinyModels.Create(seed: 45);
        FavourEnd(a);
        FavourEnd(b);
        var ensemble = new Ensemble([a, b], [2.0, 1.0]);
        using var batch = Batch.Create(Sources, null, CPU);
        var results = BeamSearch.Search(ensemble, batch, new SearchOptions { BeamSize = 3, LengthPenalty = 1.0 });
        var finished = Enumerable.Range(0, Sources.Count).Where(i => results[i][0].Finished).ToList();
        Assert.NotEmpty(finished);
        using var forced = Batch.Create(finished.Select(i => Sources[i]).ToList(), finished.Select(i => results[i][0].Content).ToList(), CPU);
        var scored = Scorer.Score(ensemble, forced);
        var alone = Scorer.Score(a, forced);
        for (int j = 0; j < finished.Count; j++)
        {
            Assert.Equal(results[finished[j]][0].LogProb, scored[j].LogProb, 3);
            Assert.NotEqual(scored[j].LogProb, alone[j].LogProb, 3);   // the second member really counts
        }
    }

    [Fact]
    public void Members_with_other_vocabularies_are_rejected()
    {
        using var a = TinyModels.Create(seed: 46);
        using var b = TinyModels.Create(seed: 47, TinyModels.Config(vocabulary: 30));
        var error = Assert.Throws<ArgumentException>(() => new Ensemble([a, b]));
        Assert.Contains("must share their vocabularies", error.Message);
        Assert.Throws<Seq2Seq.IO.InputException>(() => new Ensemble([a, a], [1.0]));
    }

    [Fact]
    public async Task The_cli_rejects_checkpoints_whose_tokenizers_differ_naming_the_file()
    {
        using var dir = new TempDirectory();
        using var otherDir = new TempDirectory();
        var first = TinyRuns.ReverseTask(dir, trainPairs: 200, maxEpochs: 1, seed: 1);
        var second = TinyRuns.ReverseTask(otherDir, trainPairs: 300, maxEpochs: 1, seed: 2);
        TinyRuns.Train(first);
        TinyRuns.Train(second);
        string input = dir.WriteLines("in.txt", ["a b c"]);
        var error = new StringWriter();
        var root = new RootCommand { TranslateCommand.Create() };
        int exit = await CommandRunner.InvokeAsync(root,
            ["translate", "--model", first.Run.Root, "--model", second.Run.Root, "--input", input, "--output", dir.File("out.txt")], TextWriter.Null, error);
        Assert.Equal(CommandRunner.InputError, exit);
        Assert.Contains("vocab.json", error.ToString());
        Assert.Contains("must share their vocabularies", error.ToString());
        Assert.False(File.Exists(dir.File("out.txt")));
    }
}
