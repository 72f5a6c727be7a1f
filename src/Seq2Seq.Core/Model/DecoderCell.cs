using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Seq2Seq.Model;

/// <summary>
/// The decoder's LSTM cell over [embed(y_{t-1}); c_t], with its input weights split by source: the
/// embedding part does not depend on the recurrence, so in training it is computed for all steps in one
/// large product (<see cref="EmbeddingGates"/>), leaving only the context and hidden parts inside the loop.
/// Gates are laid out input, forget, output, candidate.
/// </summary>
internal sealed class DecoderCell : Module
{
    private readonly Linear embeddingGates;
    private readonly Linear contextGates;
    private readonly Linear hiddenGates;
    private readonly int _hiddenSize;

    public DecoderCell(int embeddingSize, int contextSize, int hiddenSize) : base(nameof(DecoderCell))
    {
        _hiddenSize = hiddenSize;
        embeddingGates = Linear(embeddingSize, 4 * hiddenSize);
        contextGates = Linear(contextSize, 4 * hiddenSize, hasBias: false);
        hiddenGates = Linear(hiddenSize, 4 * hiddenSize, hasBias: false);
        // A forget-gate bias of 1 keeps early gradients flowing through the cell state.
        using (no_grad()) embeddingGates.bias![TensorIndex.Slice(hiddenSize, 2 * hiddenSize)].fill_(1.0);
        RegisterComponents();
    }

    /// <summary>W_hh, for callers that fuse it with other products of the hidden state.</summary>
    public Tensor HiddenWeight => hiddenGates.weight!;

    /// <summary>The embedding's contribution to the gates (and the bias), for any leading shape.</summary>
    public Tensor EmbeddingGates(Tensor embedded) => embeddingGates.call(embedded);

    /// <summary>The hidden state's contribution to the gates.</summary>
    public Tensor HiddenGates(Tensor hidden) => hiddenGates.call(hidden);

    /// <summary>Advances the cell given the precomputed embedding and hidden contributions and the context.</summary>
    public (Tensor Hidden, Tensor Cell) forward(Tensor fromEmbedding, Tensor fromHidden, Tensor context, Tensor cell) =>
        Activate(fromEmbedding + fromHidden + contextGates.call(context), cell, _hiddenSize);

    /// <summary>The LSTM update from summed gate pre-activations (input, forget, output, candidate) and the previous cell.</summary>
    public static (Tensor Hidden, Tensor Cell) Activate(Tensor gates, Tensor cell, int hiddenSize)
    {
        using var scope = NewDisposeScope();
        var sigmoids = gates[.., ..(3 * hiddenSize)].sigmoid();
        var candidate = gates[.., (3 * hiddenSize)..].tanh();
        var nextCell = sigmoids[.., hiddenSize..(2 * hiddenSize)] * cell + sigmoids[.., ..(hiddenSize)] * candidate;
        var nextHidden = sigmoids[.., (2 * hiddenSize)..] * nextCell.tanh();
        return (nextHidden.MoveToOuterDisposeScope(), nextCell.MoveToOuterDisposeScope());
    }
}
