using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Seq2Seq.Model;

/// <summary>
/// Bidirectional LSTM encoder in which padding never enters either direction. Each layer runs two fused
/// unidirectional LSTMs over the whole padded batch: the forward one reads the tokens as they are (padding
/// comes after every real token, so it cannot reach them), the backward one reads each sentence reversed
/// within its own length (real tokens first, padding last) and its outputs are flipped back. This gives
/// exactly the states of unpadded sentences, three times faster than libtorch's packed-sequence LSTM on CPU.
/// </summary>
internal sealed class Encoder : Module<Tensor, Tensor, (Tensor States, Tensor Final)>
{
    private readonly Embedding embedding;
    private readonly SeededDropout embeddingDropout;
    private readonly SeededDropout stateDropout;
    private readonly SeededDropout layerDropout;
    private readonly LayerNorm? norm;
    private readonly ModuleList<LSTM> forwardLayers = new();
    private readonly ModuleList<LSTM> backwardLayers = new();

    public Encoder(ModelConfig config, DropoutSeed seed) : base(nameof(Encoder))
    {
        embedding = Embedding(config.SourceVocabularySize, config.EmbeddingSize, padding_idx: Text.SpecialTokens.PadId);
        embeddingDropout = new SeededDropout(config.EmbeddingDropout ?? config.Dropout, seed);
        stateDropout = new SeededDropout(config.EncoderStateDropout ?? config.Dropout, seed);
        layerDropout = new SeededDropout(config.EncoderLayerDropout, seed);
        for (int layer = 0; layer < config.EncoderLayers; layer++)
        {
            int input = layer == 0 ? config.EmbeddingSize : config.EncoderOutputSize;
            forwardLayers.Add(LSTM(input, config.EncoderHiddenSize, batchFirst: true));
            backwardLayers.Add(LSTM(input, config.EncoderHiddenSize, batchFirst: true));
        }
        if (config.EncoderLayerNorm) norm = LayerNorm(config.EncoderOutputSize);
        RegisterComponents();
    }

    /// <summary>Encodes a padded batch.</summary>
    /// <param name="tokens">(batch, srcLen) token ids, padded with <see cref="Text.SpecialTokens.PadId"/>.</param>
    /// <param name="lengths">(batch) real lengths, on the CPU, as int64.</param>
    /// <returns>States (batch, srcLen, 2·hidden), zero at padding; Final (batch, 2·hidden): the last layer's
    /// forward state at the last real token and backward state at the first.</returns>
    public override (Tensor States, Tensor Final) forward(Tensor tokens, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        long batch = tokens.shape[0], width = tokens.shape[1];
        var device = tokens.device;
        var positions = arange(width, device: device).unsqueeze(0);
        var deviceLengths = lengths.to(device).unsqueeze(1);
        var real = positions.lt(deviceLengths);
        // Position p of a reversed sentence holds token length-1-p; padding positions stay where they are.
        var reversal = where(real, deviceLengths - 1 - positions, positions);
        var last = (deviceLengths - 1).unsqueeze(2);

        var x = embeddingDropout.call(embedding.call(tokens));
        Tensor forwardStates = x, backwardStates = x;
        for (int layer = 0; layer < forwardLayers.Count; layer++)
        {
            if (layer > 0) x = layerDropout.call(x);
            (forwardStates, _, _) = forwardLayers[layer].call(x);
            var (reversedStates, _, _) = backwardLayers[layer].call(Reverse(x, reversal));
            backwardStates = Reverse(reversedStates, reversal);
            x = cat([forwardStates, backwardStates], 2);
        }
        if (norm is not null) x = norm.call(x);
        // Zero at padding (normalisation would give padding the layer's bias).
        var states = x * real.unsqueeze(2).to(x.dtype);
        var finalForward = forwardStates.gather(1, last.expand(batch, 1, forwardStates.shape[2])).squeeze(1);
        var final = cat([finalForward, backwardStates[.., 0]], 1);
        return (stateDropout.call(states).MoveToOuterDisposeScope(), final.MoveToOuterDisposeScope());
    }

    private static Tensor Reverse(Tensor sequence, Tensor reversal) =>
        sequence.gather(1, reversal.unsqueeze(2).expand(sequence.shape[0], sequence.shape[1], sequence.shape[2]));
}
