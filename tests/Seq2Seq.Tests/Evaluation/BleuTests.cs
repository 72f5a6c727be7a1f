using Seq2Seq.Evaluation;

namespace Seq2Seq.Tests.Evaluation;

// Each expected value is derived by hand in the comment (BLEU = BP · exp(¼ Σ log pₙ), pₙ in percent) and was
// cross-checked against sacreBLEU's BLEU().corpus_score; the literals are the doubles sacreBLEU prints with repr().
public class BleuTests
{
    private const double Tolerance = 1e-9;

    private static void AssertStatistics(BleuScore score, long[] counts, long[] totals, long hypothesisLength, long referenceLength)
    {
        Assert.Equal(counts, score.Counts);
        Assert.Equal(totals, score.Totals);
        Assert.Equal(hypothesisLength, score.HypothesisLength);
        Assert.Equal(referenceLength, score.ReferenceLength);
    }

    [Fact]
    public void A_missing_four_gram_match_is_exp_smoothed()
    {
        // hyp: the cat sat on the mat | ref: the cat is on the mat (6 tokens each, BP = 1)
        // 1-grams: the×2 cat on mat match, sat does not      → 5/6 = 83.333
        // 2-grams: "the cat" "on the" "the mat"               → 3/5 = 60
        // 3-grams: "on the mat"                               → 1/4 = 25
        // 4-grams: none of 3 → exp smoothing 100/(2·3)        = 16.667
        // BLEU = (83.333 · 60 · 25 · 16.667)^¼ = 2083333.3^¼ = 37.9918
        var score = Bleu.Corpus(["the cat sat on the mat"], ["the cat is on the mat"]);
        Assert.Equal(37.99178428257963, score.Score, Tolerance);
        AssertStatistics(score, [5, 3, 1, 0], [6, 5, 4, 3], 6, 6);
        Assert.Equal([83.33333333333333, 60.0, 25.0, 16.666666666666668], score.Precisions.ToArray());
        Assert.Equal(1.0, score.BrevityPenalty);
        Assert.Equal(1.0, score.Ratio);
    }

    [Fact]
    public void Each_further_order_without_matches_halves_the_smoothed_count_again()
    {
        // hyp: cat dog mouse bird | ref: dog cat bird mouse: every word matches, no bigram does.
        // p1 = 4/4 = 100; p2 = 100/(2·3) = 16.667; p3 = 100/(4·2) = 12.5; p4 = 100/(8·1) = 12.5
        // BLEU = (100 · 16.667 · 12.5 · 12.5)^¼ = 260416.7^¼ = 22.5901
        var score = Bleu.Corpus(["cat dog mouse bird"], ["dog cat bird mouse"]);
        Assert.Equal(22.59005009024613, score.Score, Tolerance);
        Assert.Equal([100.0, 16.666666666666668, 12.5, 12.5], score.Precisions.ToArray());
        AssertStatistics(score, [4, 0, 0, 0], [4, 3, 2, 1], 4, 4);
    }

    [Fact]
    public void Identical_hypothesis_and_reference_score_100()
    {
        // "Hello, world." → Hello , world . (4 tokens); every n-gram matches: 4/4 3/3 2/2 1/1, BP = 1.
        var score = Bleu.Corpus(["Hello, world."], ["Hello, world."]);
        Assert.Equal(100.0, score.Score, Tolerance);
        AssertStatistics(score, [4, 3, 2, 1], [4, 3, 2, 1], 4, 4);
        Assert.Equal("BLEU = 100.00 100.0/100.0/100.0/100.0 (BP = 1.000 ratio = 1.000 hyp_len = 4 ref_len = 4)", score.ToString());
    }

    [Fact]
    public void A_longer_hypothesis_has_no_brevity_penalty()
    {
        // hyp: the cat sat on the mat today (7) | ref: the cat sat on the mat (6)
        // p = 6/7, 5/6, 4/5, 3/4 → product 3/7; BP = 1 since 7 ≥ 6; BLEU = 100 · (3/7)^¼ = 80.9107
        var score = Bleu.Corpus(["the cat sat on the mat today"], ["the cat sat on the mat"]);
        Assert.Equal(80.91067115702207, score.Score, Tolerance);
        Assert.Equal(1.0, score.BrevityPenalty);
        Assert.Equal(7.0 / 6.0, score.Ratio, Tolerance);
        AssertStatistics(score, [6, 5, 4, 3], [7, 6, 5, 4], 7, 6);
    }

    [Fact]
    public void A_shorter_hypothesis_pays_the_brevity_penalty()
    {
        // hyp: the cat sat on the (5) | ref: the cat sat on the mat (6): all precisions 100
        // BP = exp(1 − 6/5) = exp(−0.2) = 0.818731; BLEU = 81.8731
        var score = Bleu.Corpus(["the cat sat on the"], ["the cat sat on the mat"]);
        Assert.Equal(81.87307530779823, score.Score, Tolerance);
        Assert.Equal(0.8187307530779819, score.BrevityPenalty, Tolerance);
        Assert.Equal(5.0 / 6.0, score.Ratio, Tolerance);
        Assert.Equal("BLEU = 81.87 100.0/100.0/100.0/100.0 (BP = 0.819 ratio = 0.833 hyp_len = 5 ref_len = 6)", score.ToString());
    }

    [Fact]
    public void Statistics_are_summed_over_the_corpus_before_scoring()
    {
        // Segment 1 as in the smoothing test: counts 5 3 1 0 of 6 5 4 3; segment 2 identical: 4 3 2 1 of 4 3 2 1.
        // Corpus: 9/10 6/8 3/6 1/4 → 90 75 50 25 (the 4-gram match of segment 2 removes the smoothing), BP = 1
        // BLEU = (90 · 75 · 50 · 25)^¼ = 8437500^¼ = 53.8956 (not the mean of 37.99 and 100)
        var score = Bleu.Corpus(["the cat sat on the mat", "Hello, world."], ["the cat is on the mat", "Hello, world."]);
        Assert.Equal(53.89561679446264, score.Score, Tolerance);
        AssertStatistics(score, [9, 6, 3, 1], [10, 8, 6, 4], 10, 10);
        Assert.Equal("BLEU = 53.90 90.0/75.0/50.0/25.0 (BP = 1.000 ratio = 1.000 hyp_len = 10 ref_len = 10)", score.ToString());
    }

    [Fact]
    public void Several_references_clip_by_the_most_generous_one_and_take_the_shorter_of_two_equally_close_lengths()
    {
        // hyp: the cat the cat sat (5) | ref1: the cat sat (3) | ref2: the cat the cat and the dog (7)
        // max reference counts: the 3, cat 2, sat 1 → 1-grams 5/5
        // 2-grams the cat×2 (ref2 has 2), cat the, cat sat → 4/4; 3-grams the cat the, cat the cat, the cat sat → 3/3
        // 4-grams "the cat the cat" (ref2) but not "cat the cat sat" → 1/2
        // |5−3| = |5−7| = 2 → the shorter length 3 is used, so BP = 1 (choosing 7 would give exp(1 − 7/5))
        // BLEU = 100 · 0.5^¼ = 84.0896, whichever order the streams come in.
        string[] hypotheses = ["the cat the cat sat"];
        string[] shortReference = ["the cat sat"];
        string[] longReference = ["the cat the cat and the dog"];
        foreach (var references in new[] { new[] { shortReference, longReference }, new[] { longReference, shortReference } })
        {
            var score = Bleu.Corpus(hypotheses, references);
            Assert.Equal(84.08964152537145, score.Score, Tolerance);
            AssertStatistics(score, [5, 4, 3, 1], [5, 4, 3, 2], 5, 3);
        }

        // Against ref1 alone: the 1 cat 1 sat 1 → 3/5, "the cat" "cat sat" → 2/4, "the cat sat" → 1/3, 4-grams 0/2 → 100/(2·2)
        // BLEU = (60 · 50 · 33.333 · 25)^¼ = 2500000^¼ = 39.7635
        Assert.Equal(39.76353643835252, Bleu.Corpus(hypotheses, shortReference).Score, Tolerance);
    }

    [Fact]
    public void Several_references_clip_by_the_maximum_count_not_the_sum()
    {
        // hyp: the the the cat (4) | ref1: the cat (2) | ref2: the the dog (3)
        // "the" may match max(1, 2) = 2 times, not 1 + 2 = 3 → 1-grams 3/4; 2-grams "the the" (1) and "the cat" → 2/3;
        // 3-grams 0/2 → 100/(2·2) = 25; 4-grams 0/1 → 100/(4·1) = 25; closest length 3 → BP = 1
        // BLEU = (75 · 66.667 · 25 · 25)^¼ = 3125000^¼ = 42.0448
        string[][] references = [["the cat"], ["the the dog"]];
        var score = Bleu.Corpus(["the the the cat"], references);
        Assert.Equal(42.044820762685724, score.Score, Tolerance);
        AssertStatistics(score, [3, 2, 0, 0], [4, 3, 2, 1], 4, 3);
    }

    [Fact]
    public void Unicode_punctuation_stays_attached_to_words()
    {
        // ref: „Hallo“, sagte er — und ging… → „Hallo“ , sagte er — und ging… (7 tokens; only ',' is split)
        // hyp with ASCII punctuation: " Hallo " , sagte er - und ging . . . (12 tokens)
        // 1-grams: , sagte er und → 4/12; 2-grams: ", sagte" "sagte er" → 2/11; 3-grams ", sagte er" → 1/10;
        // 4-grams 0/9 → 100/(2·9) = 5.556; BP = 1 (12 > 7)
        // BLEU = (33.333 · 18.182 · 10 · 5.556)^¼ = 33670.0^¼ = 13.5460
        const string reference = "„Hallo“, sagte er — und ging…";
        var same = Bleu.Corpus([reference], [reference]);
        Assert.Equal(100.0, same.Score, Tolerance);
        Assert.Equal(7, same.HypothesisLength);

        var ascii = Bleu.Corpus(["\"Hallo\", sagte er - und ging..."], [reference]);
        Assert.Equal(13.545994273378144, ascii.Score, Tolerance);
        AssertStatistics(ascii, [4, 2, 1, 0], [12, 11, 10, 9], 12, 7);
    }

    [Fact]
    public void A_non_breaking_space_separates_tokens_as_in_python()
    {
        var score = Bleu.Corpus(["100\u00A0km bis Berlin"], ["100 km bis Berlin"]);
        Assert.Equal(100.0, score.Score, Tolerance);
        Assert.Equal(4, score.HypothesisLength);
    }

    [Fact]
    public void Trailing_whitespace_is_stripped_before_tokenizing()
    {
        // sacreBLEU rstrips each line first, so the final "-\n" is not joined: "well-" stays as in the reference.
        // Joining it (as Tokenize alone would) would give "well" and only 3/4 unigrams.
        var score = Bleu.Corpus(["a b c well-\n"], ["a b c well-"]);
        Assert.Equal(100.0, score.Score, Tolerance);
        AssertStatistics(score, [4, 3, 2, 1], [4, 3, 2, 1], 4, 4);
    }

    [Fact]
    public void Matching_is_case_sensitive()
    {
        // hyp: The cat sat on the mat | ref: the cat sat on the mat — "The" ≠ "the", so every n-gram with it misses:
        // 1-grams 5/6; 2-grams 4/5; 3-grams 3/4; 4-grams 2/3; BP = 1
        // BLEU = 100 · (5/6 · 4/5 · 3/4 · 2/3)^¼ = 100 · (1/3)^¼ = 75.9836
        var score = Bleu.Corpus(["The cat sat on the mat"], ["the cat sat on the mat"]);
        Assert.Equal(75.98356856515926, score.Score, Tolerance);
        AssertStatistics(score, [5, 4, 3, 2], [6, 5, 4, 3], 6, 6);
    }
}
