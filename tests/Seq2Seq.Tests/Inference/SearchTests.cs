using Seq2Seq.Data;
using Seq2Seq.Inference;
using Seq2Seq.Model;
using Seq2Seq.Text;
using Seq2Seq.Tests.Support;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Inference;

public class SearchTests
{
    private static readonly List<int[]> Sources = TinyModels.RandomSequences(12, 1, 9, 24, seed: 11);

    /// <summary>Slow, obvious greedy decoding of one sentence: argmax (padding and the start token left out) until EOS or the length limit.</summary>
    private static (List<int> Tokens, double LogProb) ReferenceGreedy(Seq2SeqModel model, int[] source, int maxLength)
    {
        using var noGrad = no_grad();
        using var batch = Batch.Create([source], null, CPU);
        var (memory, state) = model.Encode(batch.Source, batch.SourceLengths);
        var tokens = new List<int>();
        double total = 0;
        int previous = SpecialTokens.BosId;
        while (tokens.Count < maxLength)
        {
            var (logProbs, next, _) = model.Decoder.Step(tensor(new long[] { previous }), state, memory);
            float[] row = logProbs[0].data<float>().ToArray();
            row[SpecialTokens.PadId] = row[SpecialTokens.BosId] = float.NegativeInfinity;
            int best = Array.IndexOf(row, row.Max());
            tokens.Add(best);
            total += row[best];
            state = next;
            previous = best;
            if (best == SpecialTokens.EosId) break;
        }
        return (tokens, total);
    }

    [Theory]
    [InlineData(ModelConfig.BahdanauDecoder)]
    [InlineData(ModelConfig.ConditionalDecoder)]
    public void Beam_size_one_equals_greedy_decoding(string decoder)
    {
        using var model = TinyModels.Create(seed: 21, TinyModels.Config(decoder: decoder));
        var options = new SearchOptions { BeamSize = 1, LengthPenalty = 0 };
        using var batch = Batch.Create(Sources, null, CPU);
        var results = BeamSearch.Search(model, batch, options);
        for (int i = 0; i < Sources.Count; i++)
        {
            var (tokens, logProb) = ReferenceGreedy(model, Sources[i], options.MaxLength(Sources[i].Length + 1));
            Assert.Equal(tokens, results[i][0].Tokens);
            Assert.Equal(logProb, results[i][0].LogProb, 4);
        }
    }

    [Fact]
    public void Search_never_outputs_padding_or_the_start_token_and_scores_stay_those_of_forced_decoding()
    {
        using var model = TinyModels.Create(seed: 24);
        // A model that ranks padding and the start token first at every step, and often ends.
        using (no_grad())
        {
            var bias = model.named_parameters().Single(p => p.name == "decoder.output.bias").parameter;
            bias[SpecialTokens.PadId].add_(20.0);
            bias[SpecialTokens.BosId].add_(20.0);
            bias[SpecialTokens.EosId].add_(3.0);
        }
        using var batch = Batch.Create(Sources, null, CPU);
        var results = BeamSearch.Search(model, batch, new SearchOptions { BeamSize = 3, NBest = 3 });
        var all = results.SelectMany((r, i) => r.Select(h => (Sentence: i, Hypothesis: h))).ToList();
        Assert.All(all, x => Assert.DoesNotContain(x.Hypothesis.Tokens, t => t is SpecialTokens.PadId or SpecialTokens.BosId));
        var finished = all.Where(x => x.Hypothesis.Finished).ToList();
        Assert.NotEmpty(finished);
        using var forced = Batch.Create([.. finished.Select(f => Sources[f.Sentence])], [.. finished.Select(f => f.Hypothesis.Content)], CPU);
        var scored = Scorer.Score(model, forced);
        for (int j = 0; j < finished.Count; j++) Assert.Equal(finished[j].Hypothesis.LogProb, scored[j].LogProb, 3);
    }

    [Fact]
    public void Wider_beams_score_at_least_as_well_as_greedy()
    {
        using var model = TinyModels.Create(seed: 22);
        using var batch = Batch.Create(Sources, null, CPU);
        var greedy = BeamSearch.Search(model, batch, new SearchOptions { BeamSize = 1, LengthPenalty = 0 });
        var beam = BeamSearch.Search(model, batch, new SearchOptions { BeamSize = 6, LengthPenalty = 0 });
        for (int i = 0; i < Sources.Count; i++)
            Assert.True(beam[i][0].LogProb >= greedy[i][0].LogProb - 1e-4, $"sentence {i}: beam {beam[i][0].LogProb} < greedy {greedy[i][0].LogProb}");
    }

    [Theory]
    [InlineData(ModelConfig.BahdanauDecoder)]
    [InlineData(ModelConfig.ConditionalDecoder)]
    public void Forced_decoding_of_a_search_result_gives_its_log_probability(string decoder)
    {
        using var model = TinyModels.Create(seed: 23, TinyModels.Config(decoder: decoder));
        // A random model rarely ends a sentence; favour the end token so that most hypotheses finish.
        using (no_grad()) model.named_parameters().Single(p => p.name == "decoder.output.bias").parameter[SpecialTokens.EosId].add_(3.0);
        using var batch = Batch.Create(Sources, null, CPU);
        var results = BeamSearch.Search(model, batch, new SearchOptions { BeamSize = 4, NBest = 3, LengthPenalty = 1.0 });
        foreach (int n in new[] { 0, 2 })
        {
            var finished = Enumerable.Range(0, Sources.Count).Where(i => results[i].Count > n && results[i][n].Finished).ToList();
            Assert.NotEmpty(finished);
            using var forced = Batch.Create(finished.Select(i => Sources[i]).ToList(), finished.Select(i => results[i][n].Content).ToList(), CPU);
            var scored = Scorer.Score(model, forced);
            for (int j = 0; j < finished.Count; j++)
            {
                var hypothesis = results[finished[j]][n];
                Assert.Equal(hypothesis.Tokens, scored[j].Tokens);
                Assert.Equal(hypothesis.LogProb, scored[j].LogProb, 3);
                for (int t = 0; t < hypothesis.Tokens.Length; t++)
                    Assert.Equal(hypothesis.TokenLogProbs[t], scored[j].TokenLogProbs[t], 3);
                Assert.Equal(hypothesis.Attention.Length, scored[j].Attention.Length);
            }
        }
    }

    [Fact]
    public void N_best_lists_are_sorted_and_distinct()
    {
        using var model = TinyModels.Create(seed: 24);
        using var batch = Batch.Create(Sources, null, CPU);
        var results = BeamSearch.Search(model, batch, new SearchOptions { BeamSize = 5, NBest = 5 });
        foreach (var list in results)
        {
            Assert.InRange(list.Count, 1, 5);
            Assert.Equal(list.Select(h => h.Score).OrderDescending(), list.Select(h => h.Score));
            Assert.Equal(list.Count, list.Select(h => string.Join(",", h.Tokens)).Distinct().Count());
        }
    }

    [Theory]
    [InlineData(ModelConfig.BahdanauDecoder)]
    [InlineData(ModelConfig.ConditionalDecoder)]
    public void Results_do_not_depend_on_batch_composition(string decoder)
    {
        using var model = TinyModels.Create(seed: 25, TinyModels.Config(decoder: decoder));
        var options = new SearchOptions { BeamSize = 3 };
        using var all = Batch.Create(Sources, null, CPU);
        var together = BeamSearch.Search(model, all, options);
        for (int i = 0; i < Sources.Count; i += 5)
        {
            using var one = Batch.Create([Sources[i]], null, CPU);
            var alone = BeamSearch.Search(model, one, options);
            Assert.Equal(alone[0][0].Tokens, together[i][0].Tokens);
        }
    }

    [Fact]
    public void Hypotheses_respect_the_length_limit_and_attention_rows_sum_to_one()
    {
        using var model = TinyModels.Create(seed: 26);
        var options = new SearchOptions { BeamSize = 2, MaxLengthRatio = 0.5, MaxLengthOffset = 1 };
        using var batch = Batch.Create(Sources, null, CPU);
        var results = BeamSearch.Search(model, batch, options);
        for (int i = 0; i < Sources.Count; i++)
        {
            var best = results[i][0];
            Assert.True(best.Tokens.Length <= options.MaxLength(Sources[i].Length + 1));
            Assert.Equal(Sources[i].Length + 1, best.Attention.GetLength(1));
            for (int t = 0; t < best.Tokens.Length; t++)
                Assert.Equal(1.0, Enumerable.Range(0, best.Attention.GetLength(1)).Sum(s => best.Attention[t, s]), 4);
        }
    }
}
