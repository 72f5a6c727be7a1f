using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Seq2Seq.Model;

/// <summary>
/// Bahdanau (additive) attention: e_j = vᵀ tanh(W q + U h_j), softmax over the real source positions.
/// The keys U·h_j are projected once per batch with <see cref="ProjectKeys"/>, not once per decoder step.
/// The energies are computed as 2·vᵀσ(2(W q + U h_j)), which equals e_j + Σv since tanh(x) = 2σ(2x) − 1;
/// the constant cancels in the softmax, and libtorch's CPU sigmoid is several times faster than its tanh.
/// </summary>
internal sealed class AdditiveAttention : Module<Tensor, EncoderMemory, (Tensor Context, Tensor Weights)>
{
    private readonly Linear keyLayer;
    private readonly Linear queryLayer;
    private readonly Linear energyLayer;

    public AdditiveAttention(int keySize, int querySize, int attentionSize) : base(nameof(AdditiveAttention))
    {
        keyLayer = Linear(keySize, attentionSize, hasBias: false);
        queryLayer = Linear(querySize, attentionSize, hasBias: false);
        energyLayer = Linear(attentionSize, 1, hasBias: false);
        RegisterComponents();
    }

    /// <summary>U·H for all source positions: (batch, srcLen, attentionSize).</summary>
    public Tensor ProjectKeys(Tensor states) => keyLayer.call(states);

    /// <summary>W·q for a decoder state q: (batch, attentionSize).</summary>
    public Tensor ProjectQuery(Tensor query) => queryLayer.call(query);

    /// <summary>W, for callers that fuse it with other products of the decoder state.</summary>
    public Tensor QueryWeight => queryLayer.weight!;

    /// <summary>Attends from an already projected query W·q (batch, attentionSize) over <paramref name="memory"/>.</summary>
    /// <returns>Context (batch, keySize) and weights (batch, srcLen) that sum to 1 over real tokens and are 0 on padding.</returns>
    public override (Tensor Context, Tensor Weights) forward(Tensor projectedQuery, EncoderMemory memory)
    {
        using var scope = NewDisposeScope();
        var hidden = (memory.Keys + projectedQuery.unsqueeze(1)).mul_(2).sigmoid_();
        var scores = energyLayer.call(hidden).squeeze(2).mul_(2).masked_fill(memory.Padding, double.NegativeInfinity);
        var weights = scores.softmax(1);
        var context = weights.unsqueeze(1).bmm(memory.States).squeeze(1);
        return (context.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}
