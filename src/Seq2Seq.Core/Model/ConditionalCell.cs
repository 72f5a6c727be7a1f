using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Seq2Seq.Model;

/// <summary>
/// The two LSTM transitions of a conditional decoder (Nematus' cGRU and nmtpytorch's conditional decoder, with LSTM
/// cells): the first reads the previous word, s'ₜ = LSTM₁(embed(yₜ₋₁), sₜ₋₁); attention is queried with s'ₜ; the second
/// reads the context, sₜ = LSTM₂(cₜ, s'ₜ). The attention query thus knows the word just written, which Bahdanau's order
/// (query with sₜ₋₁) does not. As in <see cref="DecoderCell"/>, the embedding part of the first transition's gates
/// does not depend on the recurrence and is computed for all steps at once in training.
/// </summary>
internal sealed class ConditionalCell : Module
{
    private readonly Linear embeddingGates;
    private readonly Linear firstHiddenGates;
    private readonly Linear contextGates;
    private readonly Linear secondHiddenGates;
    private readonly int _hiddenSize;

    public ConditionalCell(int embeddingSize, int contextSize, int hiddenSize) : base(nameof(ConditionalCell))
    {
        _hiddenSize = hiddenSize;
        embeddingGates = Linear(embeddingSize, 4 * hiddenSize);
        firstHiddenGates = Linear(hiddenSize, 4 * hiddenSize, hasBias: false);
        contextGates = Linear(contextSize, 4 * hiddenSize);
        secondHiddenGates = Linear(hiddenSize, 4 * hiddenSize, hasBias: false);
        // A forget-gate bias of 1 keeps early gradients flowing through the cell state (both transitions).
        using (no_grad())
        {
            embeddingGates.bias![TensorIndex.Slice(hiddenSize, 2 * hiddenSize)].fill_(1.0);
            contextGates.bias![TensorIndex.Slice(hiddenSize, 2 * hiddenSize)].fill_(1.0);
        }
        RegisterComponents();
    }

    /// <summary>W_hh of the second transition, for callers that fuse it with the attention query's product of s'ₜ.</summary>
    public Tensor SecondHiddenWeight => secondHiddenGates.weight!;

    /// <summary>The embedding's contribution to the first transition's gates (and its bias), for any leading shape.</summary>
    public Tensor EmbeddingGates(Tensor embedded) => embeddingGates.call(embedded);

    /// <summary>s'ₜ: the first transition, from the previous word's gate contribution and the previous state.</summary>
    public (Tensor Hidden, Tensor Cell) First(Tensor fromEmbedding, Tensor hidden, Tensor cell) =>
        DecoderCell.Activate(fromEmbedding + firstHiddenGates.call(hidden), cell, _hiddenSize);

    /// <summary>sₜ: the second transition, from the context and s'ₜ's contribution to the gates (W_hh·s'ₜ).</summary>
    public (Tensor Hidden, Tensor Cell) Second(Tensor context, Tensor fromIntermediate, Tensor cell) =>
        DecoderCell.Activate(contextGates.call(context) + fromIntermediate, cell, _hiddenSize);
}
