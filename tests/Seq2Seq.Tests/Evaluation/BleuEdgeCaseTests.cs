using Seq2Seq.Evaluation;

namespace Seq2Seq.Tests.Evaluation;

// Degenerate corpora, checked against the early exits of sacreBLEU's BLEU.compute_bleu.
public class BleuEdgeCaseTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void No_ngram_match_at_all_scores_zero_with_unsmoothed_precisions()
    {
        // a b c d vs e f g h: counts 0 0 0 0 of 4 3 2 1. sacreBLEU returns before smoothing (#141),
        // so the precisions are all 0, not 100/(2·4) etc.
        var score = Bleu.Corpus(["a b c d"], ["e f g h"]);
        Assert.Equal(0.0, score.Score);
        Assert.Equal([0.0, 0.0, 0.0, 0.0], score.Precisions.ToArray());
        Assert.Equal([4L, 3, 2, 1], score.Totals);
        Assert.Equal("BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 1.000 ratio = 1.000 hyp_len = 4 ref_len = 4)", score.ToString());
    }

    [Fact]
    public void Hypotheses_too_short_for_four_grams_score_zero_despite_matches()
    {
        // the cat sat (3) vs the cat sat on the mat (6): 3/3 2/2 1/1 and no 4-gram at all (total 0).
        // sacreBLEU stops at the empty order and leaves p4 = 0, so the geometric mean is 0; BP = exp(1 − 6/3) = e⁻¹.
        var score = Bleu.Corpus(["the cat sat"], ["the cat sat on the mat"]);
        Assert.Equal(0.0, score.Score);
        Assert.Equal([100.0, 100.0, 100.0, 0.0], score.Precisions.ToArray());
        Assert.Equal(Math.Exp(-1), score.BrevityPenalty, Tolerance);
        Assert.Equal("BLEU = 0.00 100.0/100.0/100.0/0.0 (BP = 0.368 ratio = 0.500 hyp_len = 3 ref_len = 6)", score.ToString());
    }

    [Fact]
    public void An_empty_hypothesis_has_zero_brevity_penalty()
    {
        // 0 hypothesis tokens against 2: BP is 0 by definition in sacreBLEU (it would divide by zero).
        var score = Bleu.Corpus([""], ["the cat"]);
        Assert.Equal(0.0, score.Score);
        Assert.Equal(0.0, score.BrevityPenalty);
        Assert.Equal(0.0, score.Ratio);
        Assert.Equal("BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 0.000 ratio = 0.000 hyp_len = 0 ref_len = 2)", score.ToString());
    }

    [Fact]
    public void An_empty_hypothesis_line_still_adds_its_reference_length()
    {
        // Segment 1 identical (6 tokens: 6/6 5/5 4/4 3/3); segment 2 "" vs "a dog" adds 0 hypothesis and 2 reference tokens.
        // BP = exp(1 − 8/6) = exp(−1/3) = 0.716531; BLEU = 100 · BP = 71.6531
        var score = Bleu.Corpus(["the cat sat on the mat", ""], ["the cat sat on the mat", "a dog"]);
        Assert.Equal(71.65313105737896, score.Score, Tolerance);
        Assert.Equal(0.7165313105737893, score.BrevityPenalty, Tolerance);
        Assert.Equal(6, score.HypothesisLength);
        Assert.Equal(8, score.ReferenceLength);
    }

    [Fact]
    public void An_empty_corpus_scores_zero()
    {
        // sacreBLEU itself raises on an empty list; here the all-zero statistics give what compute_bleu makes of them.
        var score = Bleu.Corpus([], Array.Empty<string>());
        Assert.Equal(0.0, score.Score);
        Assert.Equal(1.0, score.BrevityPenalty);
        Assert.Equal(0.0, score.Ratio);
        Assert.Equal("BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 1.000 ratio = 0.000 hyp_len = 0 ref_len = 0)", score.ToString());
    }

    [Fact]
    public void Mismatched_line_counts_are_rejected_with_both_counts_in_the_message()
    {
        var error = Assert.Throws<ArgumentException>(() => Bleu.Corpus(["a", "b"], ["a"]));
        Assert.Contains("2 hypotheses but 1 references", error.Message);

        var streams = new[] { new[] { "a", "b" }, new[] { "a" } };
        var streamError = Assert.Throws<ArgumentException>(() => Bleu.Corpus(["a", "b"], streams));
        Assert.Contains("stream 1", streamError.Message);

        Assert.Throws<ArgumentException>(() => Bleu.Corpus(["a"], Array.Empty<string[]>()));
    }

    [Fact]
    public void Statistics_can_be_scored_directly()
    {
        // Same numbers as the smoothing case: 5/6 3/5 1/4 and 0/3 → 100/(2·3); BLEU 37.9918.
        var score = Bleu.FromStatistics([5, 3, 1, 0], [6, 5, 4, 3], 6, 6);
        Assert.Equal(37.99178428257963, score.Score, Tolerance);
        Assert.Throws<ArgumentException>(() => Bleu.FromStatistics([1, 1, 1], [1, 1, 1], 1, 1));
    }

    [Fact]
    public void Score_line_rounds_ties_to_even_like_python()
    {
        // counts 1 3 5 1 of 16 16 8 8 → 6.25 18.75 62.5 12.5; 17 vs 16 tokens → ratio 1.0625, BP = 1.
        // Python prints 6.25 as "6.2" and 1.0625 as "1.062" (exact binary ties go to even).
        // BLEU = (6.25 · 18.75 · 62.5 · 12.5)^¼ = 91552.73^¼ = 17.3947
        var score = Bleu.FromStatistics([1, 3, 5, 1], [16, 16, 8, 8], 17, 16);
        Assert.Equal(17.394735523210883, score.Score, Tolerance);
        Assert.Equal("BLEU = 17.39 6.2/18.8/62.5/12.5 (BP = 1.000 ratio = 1.062 hyp_len = 17 ref_len = 16)", score.ToString());
    }
}
