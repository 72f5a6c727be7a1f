using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Seq2Seq.Model;

/// <summary>
/// Bidirectional LSTM encoder. Sequences are packed, so padding never enters either direction: the states of
/// real tokens do not depend on how much padding the batch has.
/// </summary>
public sealed class Encoder : Module<Tensor, Tensor, (Tensor States, Tensor Final)>
{
    private readonly Embedding embedding;
    private readonly Dropout dropout;
    private readonly LSTM rnn;

    public Encoder(ModelConfig config) : base(nameof(Encoder))
    {
        embedding = Embedding(config.SourceVocabularySize, config.EmbeddingSize, padding_idx: Text.SpecialTokens.PadId);
        dropout = Dropout(config.Dropout);
        rnn = LSTM(config.EmbeddingSize, config.EncoderHiddenSize, config.EncoderLayers, batchFirst: true,
            dropout: config.EncoderLayers > 1 ? config.EncoderLayerDropout : 0.0, bidirectional: true);
        RegisterComponents();
    }

    /// <summary>Encodes a padded batch.</summary>
    /// <param name="tokens">(batch, srcLen) token ids, padded with <see cref="Text.SpecialTokens.PadId"/>.</param>
    /// <param name="lengths">(batch) real lengths, on the CPU, as int64.</param>
    /// <returns>States (batch, srcLen, 2·hidden), zero at padding; Final (batch, 2·hidden): the last layer's
    /// final forward state and final backward state.</returns>
    public override (Tensor States, Tensor Final) forward(Tensor tokens, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        var embedded = dropout.call(embedding.call(tokens));
        using var packed = torch.nn.utils.rnn.pack_padded_sequence(embedded, lengths, batch_first: true, enforce_sorted: false);
        var (output, hidden, _) = rnn.call(packed);
        var (states, _) = torch.nn.utils.rnn.pad_packed_sequence(output, batch_first: true, total_length: tokens.shape[1]);
        output.Dispose();
        var final = cat([hidden[-2], hidden[-1]], 1);
        return (dropout.call(states).MoveToOuterDisposeScope(), final.MoveToOuterDisposeScope());
    }
}
