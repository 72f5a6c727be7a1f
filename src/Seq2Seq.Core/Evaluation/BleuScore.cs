using System.Globalization;

namespace Seq2Seq.Evaluation;

/// <summary>
/// Corpus BLEU together with the statistics sacreBLEU reports, so a run can be checked against its output.
/// </summary>
/// <param name="Score">BLEU on a 0–100 scale.</param>
/// <param name="Precisions">N-gram precisions for orders 1–4 on a 0–100 scale, <c>exp</c>-smoothed; all zero when nothing matched.</param>
/// <param name="BrevityPenalty">exp(1 − r/c) when the hypotheses are shorter than the references, else 1; 0 for no hypothesis tokens.</param>
/// <param name="HypothesisLength">Hypothesis tokens in the corpus (c).</param>
/// <param name="ReferenceLength">Reference tokens in the corpus, the closest reference per segment (r).</param>
/// <param name="Counts">Clipped n-gram matches for orders 1–4.</param>
/// <param name="Totals">Hypothesis n-grams for orders 1–4.</param>
public sealed record BleuScore(
    double Score,
    IReadOnlyList<double> Precisions,
    double BrevityPenalty,
    long HypothesisLength,
    long ReferenceLength,
    IReadOnlyList<long> Counts,
    IReadOnlyList<long> Totals)
{
    /// <summary>Hypothesis length over reference length, 0 when there are no reference tokens (as in sacreBLEU).</summary>
    public double Ratio => ReferenceLength == 0 ? 0 : (double)HypothesisLength / ReferenceLength;

    /// <summary>
    /// sacreBLEU's score line without the signature, e.g.
    /// <c>BLEU = 37.99 83.3/60.0/25.0/16.7 (BP = 1.000 ratio = 1.000 hyp_len = 6 ref_len = 6)</c>.
    /// .NET's "F" format rounds the exact binary value with ties to even, as Python's does, so the digits agree.
    /// </summary>
    public override string ToString()
    {
        var invariant = CultureInfo.InvariantCulture;
        string precisions = string.Join('/', Precisions.Select(p => p.ToString("F1", invariant)));
        return string.Create(invariant,
            $"BLEU = {Score:F2} {precisions} (BP = {BrevityPenalty:F3} ratio = {Ratio:F3} hyp_len = {HypothesisLength} ref_len = {ReferenceLength})");
    }
}
