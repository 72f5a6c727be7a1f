using Seq2Seq.Data;
using Seq2Seq.Inference;
using Seq2Seq.Text;
using Seq2Seq.Tests.Support;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Inference;

/// <summary>Search forced through a given start of the translation (interactive translation's core).</summary>
public class PrefixSearchTests
{
    private static readonly List<int[]> Sources = TinyModels.RandomSequences(10, 2, 9, 24, seed: 31);

    private static Seq2Seq.Model.Seq2SeqModel Model()
    {
        var model = TinyModels.Create(seed: 41);
        // A random model rarely ends a sentence; favour the end token so that hypotheses finish.
        using (no_grad()) model.named_parameters().Single(p => p.name == "decoder.output.bias").parameter[SpecialTokens.EosId].add_(3.0);
        return model;
    }

    [Fact]
    public void Empty_prefixes_give_exactly_the_unconstrained_search()
    {
        using var model = Model();
        using var batch = Batch.Create(Sources, null, CPU);
        var options = new SearchOptions { BeamSize = 4, NBest = 2 };
        var free = BeamSearch.Search(model, batch, options);
        var empty = BeamSearch.Search(model, batch, options, prefixes: [.. Sources.Select(_ => Array.Empty<int>())]);
        for (int i = 0; i < Sources.Count; i++)
            Assert.Equal(free[i].Select(h => (h.Tokens, h.LogProb)), empty[i].Select(h => (h.Tokens, h.LogProb)));
    }

    [Fact]
    public void A_prefix_of_the_greedy_translation_gives_back_that_translation_with_beam_one()
    {
        using var model = Model();
        using var batch = Batch.Create(Sources, null, CPU);
        var greedy = BeamSearch.Search(model, batch, new SearchOptions { BeamSize = 1 });
        foreach (int n in new[] { 1, 3 })
        {
            var prefixes = greedy.Select(h => h[0].Tokens.Take(Math.Min(n, h[0].Tokens.Length - 1)).ToArray()).ToList();
            var forced = BeamSearch.Search(model, batch, new SearchOptions { BeamSize = 1 }, prefixes: prefixes);
            for (int i = 0; i < Sources.Count; i++)
            {
                Assert.Equal(greedy[i][0].Tokens, forced[i][0].Tokens);
                Assert.Equal(greedy[i][0].LogProb, forced[i][0].LogProb, 4);
            }
        }
    }

    [Fact]
    public void With_a_wider_beam_a_prefix_of_the_greedy_translation_is_completed_at_least_as_well_as_greedy()
    {
        using var model = Model();
        using var batch = Batch.Create(Sources, null, CPU);
        var greedy = BeamSearch.Search(model, batch, new SearchOptions { BeamSize = 1, LengthPenalty = 0 });
        var prefixes = greedy.Select(h => h[0].Tokens.Take(Math.Min(2, h[0].Tokens.Length - 1)).ToArray()).ToList();
        var completed = BeamSearch.Search(model, batch, new SearchOptions { BeamSize = 5, LengthPenalty = 0 }, prefixes: prefixes);
        for (int i = 0; i < Sources.Count; i++)
        {
            Assert.Equal(prefixes[i], completed[i][0].Tokens.Take(prefixes[i].Length));
            Assert.True(completed[i][0].LogProb >= greedy[i][0].LogProb - 1e-4, $"sentence {i}: {completed[i][0].LogProb} < greedy {greedy[i][0].LogProb}");
        }
    }

    [Fact]
    public void Every_hypothesis_starts_with_its_prefix_and_scores_what_forced_decoding_gives()
    {
        using var model = Model();
        using var batch = Batch.Create(Sources, null, CPU);
        var random = new Random(3);
        // Prefixes the model would not choose itself: random tokens (no special ones).
        var prefixes = Sources.Select((_, i) => i % 3 == 0 ? [] : Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(4, 24)).ToArray()).ToList();
        var results = BeamSearch.Search(model, batch, new SearchOptions { BeamSize = 4, NBest = 3 }, prefixes: prefixes);
        var finished = new List<(int Sentence, Hypothesis Hypothesis)>();
        for (int i = 0; i < Sources.Count; i++)
        {
            Assert.NotEmpty(results[i]);
            foreach (var h in results[i])
            {
                Assert.Equal(prefixes[i], h.Tokens.Take(prefixes[i].Length));
                if (h.Finished) finished.Add((i, h));
            }
        }
        Assert.NotEmpty(finished);
        using var forced = Batch.Create([.. finished.Select(f => Sources[f.Sentence])], [.. finished.Select(f => f.Hypothesis.Content)], CPU);
        var scored = Scorer.Score(model, forced);
        for (int j = 0; j < finished.Count; j++)
            Assert.True(Math.Abs(finished[j].Hypothesis.LogProb - scored[j].LogProb) < 1e-3, $"{j}: sentence {finished[j].Sentence} tokens [{string.Join(",", finished[j].Hypothesis.Tokens)}] scored [{string.Join(",", scored[j].Tokens)}] {finished[j].Hypothesis.LogProb} vs {scored[j].LogProb}");
    }

    [Fact]
    public void A_prefix_longer_than_the_length_limit_is_still_kept_whole()
    {
        using var model = Model();
        int[] source = [5, 6];
        using var batch = Batch.Create([source], null, CPU);
        int[] prefix = [.. Enumerable.Range(0, 12).Select(i => 4 + i)];
        var options = new SearchOptions { BeamSize = 2, MaxLengthRatio = 1.0, MaxLengthOffset = 1 };   // limit 3
        var results = BeamSearch.Search(model, batch, options, prefixes: [prefix]);
        Assert.All(results[0], h => Assert.Equal(prefix, h.Tokens.Take(prefix.Length)));
        Assert.All(results[0], h => Assert.True(h.Tokens.Length <= prefix.Length + 1));
    }
}
