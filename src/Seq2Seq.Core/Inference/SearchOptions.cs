using System.ComponentModel.DataAnnotations;

namespace Seq2Seq.Inference;

/// <summary>How <see cref="BeamSearch"/> explores and ranks translations.</summary>
public sealed class SearchOptions
{
    /// <summary>The largest length penalty accepted anywhere (command line, service).</summary>
    public const double MaxLengthPenalty = 10.0;

    /// <summary>Hypotheses kept per sentence; 1 is greedy decoding.</summary>
    [Range(1, 1000)] public int BeamSize { get; set; } = 5;

    /// <summary>How many finished hypotheses to return per sentence (at most the beam size).</summary>
    [Range(1, 1000)] public int NBest { get; set; } = 1;

    /// <summary>
    /// GNMT length penalty α: hypotheses are ranked by log P / ((5 + length) / 6)^α. 0 ranks by raw log P
    /// (favouring short outputs); about 1 is usual.
    /// </summary>
    [Range(0.0, MaxLengthPenalty)] public double LengthPenalty { get; set; } = 1.0;

    /// <summary>Output length limit as a multiple of the source length (EOS included), plus <see cref="MaxLengthOffset"/>.</summary>
    [Range(0.1, 100.0)] public double MaxLengthRatio { get; set; } = 2.0;

    /// <summary>Extra tokens allowed beyond <see cref="MaxLengthRatio"/> × source length.</summary>
    [Range(0, 10_000)] public int MaxLengthOffset { get; set; } = 5;

    /// <summary>The most next-word alternatives one translation may ask for.</summary>
    public const int MaxAlternatives = 50;

    /// <summary>
    /// Next words to offer where the translation becomes free (after the prefix, if any): the most probable first
    /// subwords each get their word's probability and their own best completion (0 = none, the default).
    /// </summary>
    [Range(0, MaxAlternatives)] public int Alternatives { get; set; }

    /// <summary>The output limit, in tokens, for a source of <paramref name="sourceLength"/> tokens (EOS included).</summary>
    internal int MaxLength(int sourceLength) => (int)Math.Ceiling(MaxLengthRatio * sourceLength) + MaxLengthOffset;

    /// <summary>The ranking score of a hypothesis with total log-probability <paramref name="logProb"/> and <paramref name="length"/> tokens.</summary>
    internal double Normalize(double logProb, int length) =>
        LengthPenalty == 0 ? logProb : logProb / Math.Pow((5.0 + length) / 6.0, LengthPenalty);

    public void Validate()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        if (NBest > BeamSize) throw new ValidationException($"NBest ({NBest}) cannot exceed the beam size ({BeamSize})");
    }
}
