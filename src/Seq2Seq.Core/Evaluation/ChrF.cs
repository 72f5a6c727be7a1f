namespace Seq2Seq.Evaluation;

/// <summary>
/// Corpus chrF exactly as sacreBLEU's default <c>CHRF()</c> computes it (sacrebleu/metrics/chrf.py):
/// character n-grams of orders 1–6 with whitespace removed, no word n-grams, β = 2, statistics summed over
/// the corpus and precision and recall averaged over the orders both sides have (its "effective order").
/// </summary>
public static class ChrF
{
    /// <summary>The highest character n-gram order counted.</summary>
    public const int CharOrder = 6;

    /// <summary>Recall weighs β times as much as precision.</summary>
    public const int Beta = 2;

    /// <summary>Scores hypotheses against one reference per line.</summary>
    /// <exception cref="ArgumentException">The two lists differ in length.</exception>
    public static ChrFScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        return Corpus(hypotheses, [references]);
    }

    /// <summary>
    /// Scores hypotheses against several reference streams (each aligned with the hypotheses); each segment
    /// contributes the statistics of the reference with the best segment-level chrF, the first on a tie.
    /// </summary>
    /// <exception cref="ArgumentException">There is no stream, or a stream differs in length from the hypotheses.</exception>
    public static ChrFScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references)
    {
        CorpusArguments.Validate(hypotheses, references);
        var corpus = new long[3 * CharOrder];
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var hypothesis = CharNgrams(hypotheses[i]);
            long[] best = [];
            double bestScore = -1;
            foreach (var stream in references)
            {
                long[] statistics = MatchStatistics(hypothesis, CharNgrams(stream[i]));
                double score = FScore(statistics);
                if (score > bestScore) (best, bestScore) = (statistics, score);
            }
            for (int k = 0; k < corpus.Length; k++) corpus[k] += best[k];
        }
        return new ChrFScore(FScore(corpus));
    }

    // Per order: hypothesis n-grams, reference n-grams, clipped matches.
    private static long[] MatchStatistics(Dictionary<string, int>[] hypothesis, Dictionary<string, int>[] reference)
    {
        var statistics = new long[3 * CharOrder];
        for (int n = 0; n < CharOrder; n++)
        {
            long hypothesisCount = 0, matches = 0;
            foreach (var (ngram, count) in hypothesis[n])
            {
                hypothesisCount += count;
                matches += Math.Min(count, reference[n].GetValueOrDefault(ngram));
            }
            // sacreBLEU drops the hypothesis count for an order the reference is too short to have,
            // so surplus hypothesis n-grams there cost no precision.
            statistics[3 * n] = reference[n].Count > 0 ? hypothesisCount : 0;
            statistics[3 * n + 1] = reference[n].Values.Sum();
            statistics[3 * n + 2] = matches;
        }
        return statistics;
    }

    private static double FScore(long[] statistics)
    {
        double precision = 0, recall = 0;
        int effectiveOrder = 0;
        for (int n = 0; n < CharOrder; n++)
        {
            long hypothesisCount = statistics[3 * n], referenceCount = statistics[3 * n + 1], matches = statistics[3 * n + 2];
            // Orders missing on either side are skipped rather than scored 0 (sacreBLEU's default, eps_smoothing=False).
            if (hypothesisCount == 0 || referenceCount == 0) continue;
            precision += (double)matches / hypothesisCount;
            recall += (double)matches / referenceCount;
            effectiveOrder++;
        }
        if (effectiveOrder == 0) return 0.0;
        precision /= effectiveOrder;
        recall /= effectiveOrder;
        if (precision + recall == 0) return 0.0;

        const double factor = Beta * Beta;
        return 100 * ((1 + factor) * precision * recall / (factor * precision + recall));
    }

    // Python indexes strings by code point, so a surrogate pair counts as one character.
    private static Dictionary<string, int>[] CharNgrams(string line)
    {
        string text = string.Concat(PythonWhitespace.Split(line));
        var starts = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1) starts.Add(i);
        starts.Add(text.Length);
        int length = starts.Count - 1;

        var ngrams = new Dictionary<string, int>[CharOrder];
        for (int n = 1; n <= CharOrder; n++)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i + n <= length; i++)
            {
                string ngram = text[starts[i]..starts[i + n]];
                counts[ngram] = counts.GetValueOrDefault(ngram) + 1;
            }
            ngrams[n - 1] = counts;
        }
        return ngrams;
    }
}
