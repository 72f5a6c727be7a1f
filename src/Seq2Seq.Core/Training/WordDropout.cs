using Seq2Seq.Data;
using Seq2Seq.Text;
using static TorchSharp.torch;

namespace Seq2Seq.Training;

/// <summary>
/// Word dropout (Sennrich &amp; Zhang 2019; Gal &amp; Ghahramani 2016): during training, replaces whole
/// input tokens by <c>&lt;unk&gt;</c> with a given probability, so the model cannot lean on any single word
/// and learns what <c>&lt;unk&gt;</c> means. Padding, BOS and EOS are never replaced, and the decoder's
/// outputs (the loss targets) are never touched. Which tokens are replaced is a function of (seed, step,
/// stream) alone, so a resumed run replaces the same ones.
/// </summary>
internal static class WordDropout
{
    /// <summary>Returns <paramref name="tokens"/> with each ordinary token replaced by UNK with probability <paramref name="rate"/>.</summary>
    /// <param name="tokens">(batch, length) int64 ids.</param>
    /// <param name="stream">Separates the masks of the source (0) and the target input (1) in one step.</param>
    public static Tensor Apply(Tensor tokens, double rate, int seed, long step, int stream)
    {
        if (rate <= 0) return tokens.alias();
        var random = new SplitMix64(((ulong)(uint)seed << 32) ^ ((ulong)step * 0x9E3779B97F4A7C15UL) ^ ((ulong)stream << 62));
        var draws = new bool[tokens.numel()];
        ulong threshold = (ulong)(rate * ulong.MaxValue);
        for (int i = 0; i < draws.Length; i++) draws[i] = random.Next() < threshold;
        using var scope = NewDisposeScope();
        var drop = tensor(draws, tokens.shape, device: tokens.device)
            .logical_and_(tokens.gt(SpecialTokens.EosId));   // ids 0-3 are pad, unk, BOS, EOS
        return tokens.masked_fill(drop, SpecialTokens.UnknownId).MoveToOuterDisposeScope();
    }
}
