using Seq2Seq.Text;
using static TorchSharp.torch;

namespace Seq2Seq.Training;

/// <summary>
/// Token-level cross-entropy over non-pad positions, optionally label-smoothed (the smoothing mass spread
/// over the whole vocabulary, as PyTorch does). Returns the summed training loss and the summed plain
/// negative log-likelihood, from one log-softmax.
/// </summary>
internal static class SequenceLoss
{
    /// <param name="logits">(batch, tgtLen, vocab).</param>
    /// <param name="gold">(batch, tgtLen) target ids, padded with <see cref="SpecialTokens.PadId"/>.</param>
    public static (Tensor Loss, Tensor Nll) Compute(Tensor logits, Tensor gold, double labelSmoothing)
    {
        using var scope = NewDisposeScope();
        long vocabulary = logits.shape[^1];
        var logProbs = logits.view(-1, vocabulary).log_softmax(-1);
        var flatGold = gold.view(-1);
        var notPad = flatGold.ne(SpecialTokens.PadId).to(logProbs.dtype);
        var nll = -(logProbs.gather(1, flatGold.unsqueeze(1)).squeeze(1) * notPad).sum();
        var loss = nll;
        if (labelSmoothing > 0)
        {
            var uniform = -(logProbs.sum(-1) * notPad).sum() / vocabulary;
            loss = nll * (1 - labelSmoothing) + uniform * labelSmoothing;
        }
        return (loss.MoveToOuterDisposeScope(), nll.MoveToOuterDisposeScope());
    }
}
