using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Seq2Seq.Inspection;

/// <summary>Whether a source word received too little, a normal amount or too much attention.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CoverageStatus>))]
public enum CoverageStatus
{
    /// <summary>Received at least the under threshold and at most the over threshold.</summary>
    Ok,

    /// <summary>Received less than the under threshold: the word may have been left untranslated.</summary>
    Under,

    /// <summary>Received more than the over threshold: the word may have been translated repeatedly.</summary>
    Over,
}

/// <summary>The total attention one source word received from the target words.</summary>
/// <param name="Index">Column of the word in the word-level matrix (0-based).</param>
/// <param name="Word">The word (pieces joined, <c>&lt;/w&gt;</c> removed).</param>
/// <param name="Received">Sum of the word's column over the real target rows; 1.0 is "translated once".</param>
/// <param name="Status">How <paramref name="Received"/> compares with the report's thresholds.</param>
public sealed record SourceWordCoverage(int Index, string Word, double Received, CoverageStatus Status);

/// <summary>How spread out one target token's attention is.</summary>
/// <param name="Index">Row of the token in the matrix the report was made from (0-based).</param>
/// <param name="Token">Readable label of the token.</param>
/// <param name="Entropy">Entropy of the row in nats: 0 for attention on one source token, ln(n) for uniform attention over n.</param>
public sealed record TargetEntropy(int Index, string Token, double Entropy);

/// <summary>
/// Coverage diagnostics of one translation, made by <see cref="AttentionMatrix.Coverage"/>.
/// <para>
/// Source side, always per whole word: a word's columns are summed (<see cref="AttentionMatrix.ToWords"/>)
/// and then its attention is added up over the real target words. The <c>&lt;/s&gt;</c> row is left out,
/// because the step that ends the sentence translates nothing, and so is the <c>&lt;/s&gt;</c> column,
/// which is the model's attention sink rather than a word. With one attention row per target word, a word
/// translated once receives about 1.
/// </para>
/// <para>
/// Target side, per row of the matrix the report was made from (pieces for a subword matrix, so the
/// entropies describe the model's own distributions): the natural-log entropy of the whole row, <c>&lt;/s&gt;</c>
/// column included, after rescaling the row to sum to 1 (an all-zero row has entropy 0).
/// </para>
/// </summary>
/// <param name="UnderThreshold">A word that received less than this is <see cref="CoverageStatus.Under"/>.</param>
/// <param name="OverThreshold">A word that received more than this is <see cref="CoverageStatus.Over"/>.</param>
/// <param name="SourceWords">One entry per real source word, in order.</param>
/// <param name="TargetTokens">One entry per target row, in order.</param>
public sealed record CoverageReport(
    double UnderThreshold,
    double OverThreshold,
    IReadOnlyList<SourceWordCoverage> SourceWords,
    IReadOnlyList<TargetEntropy> TargetTokens)
{
    // Relaxed escaping keeps tokens such as </s> and non-ASCII words readable; the report is a file, not HTML.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, // like the other JSONL fields (log_prob, token_log_probs)
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The source words that received less than <see cref="UnderThreshold"/>, in order.</summary>
    public IReadOnlyList<string> UnderTranslated =>
        [.. SourceWords.Where(w => w.Status == CoverageStatus.Under).Select(w => w.Word)];

    /// <summary>The source words that received more than <see cref="OverThreshold"/>, in order.</summary>
    public IReadOnlyList<string> OverTranslated =>
        [.. SourceWords.Where(w => w.Status == CoverageStatus.Over).Select(w => w.Word)];

    /// <summary>Mean of the target entropies (0 when there is no target token).</summary>
    public double MeanEntropy => TargetTokens.Count == 0 ? 0 : TargetTokens.Average(t => t.Entropy);

    /// <summary>The report as one line of snake_case JSON (numbers culture-invariant, statuses as names, tokens unescaped).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    internal static CoverageReport Of(AttentionMatrix matrix, double underThreshold, double overThreshold)
    {
        if (!double.IsFinite(underThreshold) || underThreshold < 0)
            throw new ArgumentOutOfRangeException(nameof(underThreshold), underThreshold, "the under threshold must be a finite number ≥ 0");
        if (!double.IsFinite(overThreshold) || overThreshold <= underThreshold)
            throw new ArgumentOutOfRangeException(nameof(overThreshold), overThreshold, "the over threshold must be finite and above the under threshold");

        var words = matrix.ToWords();
        var sources = new List<SourceWordCoverage>();
        for (int s = 0; s < words.SourceTokens.Count; s++)
        {
            if (Subwords.IsControl(words.SourceTokens[s])) continue;
            double received = 0;
            for (int t = 0; t < words.TargetTokens.Count; t++)
                if (!Subwords.IsControl(words.TargetTokens[t])) received += words.Weights[t, s];
            var status = received < underThreshold ? CoverageStatus.Under
                : received > overThreshold ? CoverageStatus.Over
                : CoverageStatus.Ok;
            sources.Add(new SourceWordCoverage(s, words.SourceTokens[s], received, status));
        }

        var labels = matrix.TargetLabels;
        var targets = new List<TargetEntropy>(labels.Count);
        for (int t = 0; t < labels.Count; t++) targets.Add(new TargetEntropy(t, labels[t], RowEntropy(matrix.Weights, t)));
        return new CoverageReport(underThreshold, overThreshold, sources, targets);
    }

    private static double RowEntropy(float[,] weights, int row)
    {
        int cols = weights.GetLength(1);
        double total = 0;
        for (int s = 0; s < cols; s++) total += weights[row, s];
        if (total <= 0) return 0;
        double entropy = 0;
        for (int s = 0; s < cols; s++)
        {
            double p = weights[row, s] / total;
            if (p > 0) entropy -= p * Math.Log(p);
        }
        // Rounding can leave -0 or a hair below zero for a one-hot row.
        return Math.Max(0, entropy);
    }
}
