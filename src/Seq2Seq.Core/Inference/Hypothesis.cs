namespace Seq2Seq.Inference;

/// <summary>
/// One translation found by search. <see cref="Tokens"/> ends with EOS when the hypothesis finished;
/// <see cref="LogProb"/> is the sum of <see cref="TokenLogProbs"/> (natural log), the same quantity
/// <see cref="Scorer"/> computes by forced decoding.
/// </summary>
public sealed record Hypothesis(int[] Tokens, float[] TokenLogProbs, double LogProb, double Score, float[,] Attention)
{
    /// <summary>True when the hypothesis ended with EOS rather than at the length limit.</summary>
    public bool Finished => Tokens.Length > 0 && Tokens[^1] == Text.SpecialTokens.EosId;

    /// <summary>The tokens without the final EOS.</summary>
    public int[] Content => Finished ? Tokens[..^1] : Tokens;
}
