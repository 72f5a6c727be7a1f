using System.Globalization;

namespace Seq2Seq.Evaluation;

/// <summary>Corpus chrF2 as sacreBLEU's default <c>CHRF()</c> reports it.</summary>
/// <param name="Score">chrF2 on a 0–100 scale.</param>
public sealed record ChrFScore(double Score)
{
    /// <summary>sacreBLEU's score line without the signature, e.g. <c>chrF2 = 40.55</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"chrF{ChrF.Beta} = {Score:F2}");
}
