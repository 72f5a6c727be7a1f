namespace Seq2Seq.Evaluation;

/// <summary>
/// Corpus BLEU exactly as sacreBLEU's default <c>BLEU()</c> computes it (sacrebleu/metrics/bleu.py): 13a
/// tokenization, case-sensitive, n-grams up to order 4, <c>exp</c> smoothing and no effective order, so
/// scores can be compared with published sacreBLEU numbers.
/// </summary>
public static class Bleu
{
    /// <summary>The highest n-gram order counted.</summary>
    public const int MaxOrder = 4;

    /// <summary>Scores hypotheses against one reference per line.</summary>
    /// <exception cref="ArgumentException">The two lists differ in length.</exception>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        return Corpus(hypotheses, [references]);
    }

    /// <summary>
    /// Scores hypotheses against several reference streams (each aligned with the hypotheses): n-gram
    /// counts are clipped by the most generous reference, and the reference length is the closest one,
    /// the shorter on a tie.
    /// </summary>
    /// <exception cref="ArgumentException">There is no stream, or a stream differs in length from the hypotheses.</exception>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references)
    {
        CorpusArguments.Validate(hypotheses, references);
        var counts = new long[MaxOrder];
        var totals = new long[MaxOrder];
        long hypothesisLength = 0, referenceLength = 0;

        for (int i = 0; i < hypotheses.Count; i++)
        {
            var referenceLengths = new List<int>(references.Count);
            var referenceNgrams = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var stream in references)
            {
                string[] tokens = Tokens(stream[i]);
                referenceLengths.Add(tokens.Length);
                foreach (var (ngram, count) in Ngrams(tokens))
                    referenceNgrams[ngram] = Math.Max(count, referenceNgrams.GetValueOrDefault(ngram));
            }

            string[] hypothesis = Tokens(hypotheses[i]);
            hypothesisLength += hypothesis.Length;
            referenceLength += referenceLengths.MinBy(length => (Math.Abs(hypothesis.Length - length), length));
            foreach (var (ngram, count) in Ngrams(hypothesis))
            {
                int order = ngram.Count(c => c == ' ');
                totals[order] += count;
                counts[order] += Math.Min(count, referenceNgrams.GetValueOrDefault(ngram));
            }
        }
        return FromStatistics(counts, totals, hypothesisLength, referenceLength);
    }

    /// <summary>
    /// BLEU from corpus-level sufficient statistics (sacreBLEU's <c>compute_bleu</c> with <c>exp</c> smoothing),
    /// for callers that aggregate counts themselves, e.g. to resample segments.
    /// </summary>
    /// <param name="counts">Clipped n-gram matches for orders 1–4.</param>
    /// <param name="totals">Hypothesis n-grams for orders 1–4.</param>
    /// <param name="hypothesisLength">Hypothesis tokens.</param>
    /// <param name="referenceLength">Reference tokens (closest reference per segment).</param>
    public static BleuScore FromStatistics(IReadOnlyList<long> counts, IReadOnlyList<long> totals, long hypothesisLength, long referenceLength)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(totals);
        if (counts.Count != MaxOrder || totals.Count != MaxOrder)
            throw new ArgumentException($"Counts and totals need exactly {MaxOrder} orders each.", nameof(counts));

        double brevityPenalty = hypothesisLength >= referenceLength ? 1.0
            : hypothesisLength > 0 ? Math.Exp(1 - (double)referenceLength / hypothesisLength) : 0.0;
        var precisions = new double[MaxOrder];
        double score = 0.0;

        // When no n-gram of any order matched, sacreBLEU returns 0 with unsmoothed (zero) precisions.
        if (counts.Any(c => c != 0))
        {
            double smoothing = 1.0;
            for (int n = 0; n < MaxOrder; n++)
            {
                // Hypotheses too short for this order: sacreBLEU stops, leaving this and higher precisions at 0,
                // so the geometric mean is 0 (it takes log 0 as -9999999999, which exponentiates to 0 as well).
                if (totals[n] == 0) break;
                if (counts[n] == 0)
                {
                    // NIST-style smoothing: each further order without matches halves the pseudo-count again.
                    smoothing *= 2;
                    precisions[n] = 100.0 / (smoothing * totals[n]);
                }
                else
                {
                    precisions[n] = 100.0 * counts[n] / totals[n];
                }
            }

            double logSum = 0.0;
            foreach (double precision in precisions) logSum += Math.Log(precision);
            score = brevityPenalty * Math.Exp(logSum / MaxOrder);
        }
        return new BleuScore(score, precisions, brevityPenalty, hypothesisLength, referenceLength, counts.ToArray(), totals.ToArray());
    }

    // As sacreBLEU's _preprocess_segment: trailing whitespace goes before tokenizing (so a final "-\n" is kept).
    private static string[] Tokens(string line) =>
        Tokenizer13a.Tokenize(PythonWhitespace.TrimEnd(line)).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // Tokens never contain spaces, so space-joined n-grams of different orders cannot collide.
    private static Dictionary<string, int> Ngrams(string[] tokens)
    {
        var ngrams = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int n = 1; n <= MaxOrder; n++)
        {
            for (int start = 0; start + n <= tokens.Length; start++)
            {
                string ngram = string.Join(' ', tokens, start, n);
                ngrams[ngram] = ngrams.GetValueOrDefault(ngram) + 1;
            }
        }
        return ngrams;
    }
}
