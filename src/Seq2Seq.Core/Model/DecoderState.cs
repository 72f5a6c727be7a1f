using static TorchSharp.torch;

namespace Seq2Seq.Model;

/// <summary>The decoder LSTM's hidden and cell state, (batch, decoderHidden) each.</summary>
internal sealed class DecoderState(Tensor hidden, Tensor cell) : IDisposable
{
    public Tensor Hidden { get; } = hidden;
    public Tensor Cell { get; } = cell;

    /// <summary>The rows <paramref name="index"/> (beam reordering, dropping finished sentences).</summary>
    public DecoderState Select(Tensor index) => new(Hidden.index_select(0, index), Cell.index_select(0, index));

    /// <summary>The rows of <paramref name="first"/> followed by those of <paramref name="second"/>.</summary>
    public static DecoderState Concat(DecoderState first, DecoderState second) =>
        new(cat([first.Hidden, second.Hidden]), cat([first.Cell, second.Cell]));

    /// <summary>The rows of each state in turn.</summary>
    public static DecoderState Concat(IEnumerable<DecoderState> states)
    {
        var all = states.ToList();
        return new(cat([.. all.Select(s => s.Hidden)]), cat([.. all.Select(s => s.Cell)]));
    }

    /// <summary><paramref name="rows"/> rows from row <paramref name="first"/> on.</summary>
    public DecoderState Narrow(long first, long rows) => new(Hidden.narrow(0, first, rows), Cell.narrow(0, first, rows));

    /// <summary>Takes the tensors out of every dispose scope: their owner disposes them.</summary>
    public DecoderState DetachFromDisposeScope()
    {
        Hidden.DetachFromDisposeScope();
        Cell.DetachFromDisposeScope();
        return this;
    }

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
