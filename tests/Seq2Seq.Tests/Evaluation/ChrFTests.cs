using Seq2Seq.Evaluation;

namespace Seq2Seq.Tests.Evaluation;

// chrF2 as sacreBLEU's CHRF(): whitespace is removed, character n-grams of orders 1–6 are counted per segment and
// summed over the corpus, precision P and recall R are averaged over the orders where both hypothesis and reference
// have n-grams, and chrF2 = 100 · 5PR / (4P + R). Derivations by hand; values cross-checked against sacreBLEU.
public class ChrFTests
{
    private const double Tolerance = 1e-9;

    [Fact]
    public void Identical_text_scores_100_because_orders_longer_than_the_text_are_skipped()
    {
        // "abc": orders 1–3 have P = R = 1; orders 4–6 have no n-grams and are left out (eps smoothing would give 50).
        Assert.Equal(100.0, ChrF.Corpus(["abc"], ["abc"]).Score, Tolerance);
    }

    [Fact]
    public void Recall_weighs_more_than_precision()
    {
        // hyp "ab" | ref "abc": order 1: 2 of 2 hyp match, 2 of 3 ref → P 1, R 2/3; order 2: "ab" → P 1, R 1/2;
        // order 3: the hypothesis has none → skipped. P = 1, R = 7/12; chrF2 = 5 · 7/12 / (4 + 7/12) = 7/11 = 63.6364
        Assert.Equal(63.636363636363626, ChrF.Corpus(["ab"], ["abc"]).Score, Tolerance);
    }

    [Theory]
    [InlineData("a b\tc")]
    [InlineData("a\u00A0bc")]     // NBSP is whitespace to Python's str.split()
    [InlineData(" abc\n")]
    public void Whitespace_is_removed_before_counting(string hypothesis) =>
        Assert.Equal(100.0, ChrF.Corpus([hypothesis], ["abc"]).Score, Tolerance);

    [Fact]
    public void Statistics_are_summed_over_the_corpus_before_averaging()
    {
        // seg 1 "ab"/"abc": (hyp, ref, match) o1 (2,3,2) o2 (1,2,1) o3 (0,1,0)
        // seg 2 "xyz"/"xyw": o1 (3,3,2) o2 (2,2,1) o3 (1,1,0)
        // sums: o1 (5,6,4) o2 (3,4,2) o3 (1,2,0) → P = (4/5 + 2/3 + 0)/3 = 0.488889, R = (2/3 + 1/2 + 0)/3 = 0.388889
        // chrF2 = 5 · 0.488889 · 0.388889 / (4 · 0.488889 + 0.388889) = 40.5477 (the segment mean would be 51.26)
        Assert.Equal(40.54765666140073, ChrF.Corpus(["ab", "xyz"], ["abc", "xyw"]).Score, Tolerance);
        Assert.Equal(38.888888888888886, ChrF.Corpus(["xyz"], ["xyw"]).Score, Tolerance);
    }

    [Fact]
    public void Hypothesis_ngrams_of_orders_the_reference_lacks_cost_nothing()
    {
        // hyp "abcd" | ref "ab": o1 (4,2,2) o2 (3,1,1); from order 3 the reference has no n-grams, and sacreBLEU then
        // records 0 hypothesis n-grams too. P = (1/2 + 1/3)/2 = 5/12, R = 1 → chrF2 = 5 · 5/12 / (5/3 + 1) = 78.125
        Assert.Equal(78.12499999999999, ChrF.Corpus(["abcd"], ["ab"]).Score, Tolerance);

        // Likewise a segment with an empty reference adds nothing, not even its hypothesis n-grams.
        Assert.Equal(100.0, ChrF.Corpus(["abc", "xyz"], ["abc", ""]).Score, Tolerance);
    }

    [Theory]
    [InlineData("", "abc")]       // no hypothesis n-grams: no effective order
    [InlineData("", "")]
    [InlineData("abc", "xyz")]    // P = R = 0
    [InlineData("ABC", "abc")]    // case-sensitive
    public void Degenerate_segments_score_zero(string hypothesis, string reference) =>
        Assert.Equal(0.0, ChrF.Corpus([hypothesis], [reference]).Score);

    [Fact]
    public void An_empty_corpus_scores_zero() =>
        Assert.Equal(0.0, ChrF.Corpus([], Array.Empty<string>()).Score);

    [Fact]
    public void Characters_are_code_points_so_a_surrogate_pair_is_one_character()
    {
        // "😀b" | "😀c": o1 {😀, b} vs {😀, c} → P = R = 1/2; o2 "😀b" vs "😀c" → 0. P = R = 1/4 → 25.
        // Counting UTF-16 units instead would give (2/3 + 1/2 + 0)/3 = 38.89.
        Assert.Equal(25.0, ChrF.Corpus(["\U0001F600b"], ["\U0001F600c"]).Score, Tolerance);
    }

    [Fact]
    public void A_sentence_pair()
    {
        // "thecatsatonthemat" | "thecatisonthemat", (hyp, ref, match) per order:
        // (17,16,15) (16,15,12) (15,14,10) (14,13,8) (13,12,6) (12,11,4)   [o1: t 4 of 5, a 2 of 3, s i differ]
        // P = (15/17 + 12/16 + 10/15 + 8/14 + 6/13 + 4/12)/6 = 0.610887
        // R = (15/16 + 12/15 + 10/14 + 8/13 + 6/12 + 4/11)/6 = 0.655135
        // chrF2 = 5PR / (4P + R) = 64.5779
        var score = ChrF.Corpus(["the cat sat on the mat"], ["the cat is on the mat"]);
        Assert.Equal(64.5779420625287, score.Score, Tolerance);
        Assert.Equal("chrF2 = 64.58", score.ToString());
    }

    [Fact]
    public void Unicode_punctuation_is_compared_character_by_character()
    {
        // „Hallo“—ja… vs "Hallo"-ja... (whitespace removed): the quotes, dashes and ellipsis never match ASCII ones.
        // Hyp code points „ H a l l o “ — j a … (11), ref " H a l l o " - j a . . . (13); (hyp, ref, match):
        // o1 (11,13,7) o2 (10,12,5: Ha al ll lo ja) o3 (9,11,3: Hal all llo) o4 (8,10,2) o5 (7,9,1: Hallo) o6 (6,8,0)
        // P = (7/11 + 5/10 + 3/9 + 2/8 + 1/7 + 0)/6 = 0.310426, R = (7/13 + 5/12 + 3/11 + 2/10 + 1/9 + 0)/6 = 0.256494
        // chrF2 = 5PR / (4P + R) = 26.5728
        Assert.Equal(26.572757287552147, ChrF.Corpus(["„Hallo“ — ja…"], ["\"Hallo\" - ja..."]).Score, Tolerance);
    }

    [Fact]
    public void Several_references_use_the_best_matching_one_per_segment()
    {
        // hyp "abc" | refs "xyz" (chrF 0) and "abd": o1 2/3, o2 1/2, o3 0/1 on both sides → P = R = 0.388889 → 38.8889
        string[][] references = [["xyz"], ["abd"]];
        Assert.Equal(38.888888888888886, ChrF.Corpus(["abc"], references).Score, Tolerance);
    }

    [Fact]
    public void Mismatched_line_counts_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ChrF.Corpus(["a"], ["a", "b"]));
        Assert.Contains("1 hypotheses but 2 references", error.Message);
    }
}
