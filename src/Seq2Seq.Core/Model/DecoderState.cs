using static TorchSharp.torch;

namespace Seq2Seq.Model;

/// <summary>The decoder LSTM's hidden and cell state, (batch, decoderHidden) each.</summary>
internal sealed class DecoderState(Tensor hidden, Tensor cell) : IDisposable
{
    public Tensor Hidden { get; } = hidden;
    public Tensor Cell { get; } = cell;

    /// <summary>The rows <paramref name="index"/> (beam reordering, dropping finished sentences).</summary>
    public DecoderState Select(Tensor index) => new(Hidden.index_select(0, index), Cell.index_select(0, index));

    public DecoderState MoveToOuterDisposeScope()
    {
        Hidden.MoveToOuterDisposeScope();
        Cell.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        Hidden.Dispose();
        Cell.Dispose();
    }
}
