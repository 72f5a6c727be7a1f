using static TorchSharp.torch;

namespace Seq2Seq.Model;

/// <summary>
/// What the decoder attends over: encoder states, their projected attention keys, and the padding mask.
/// Disposing it disposes the three tensors.
/// </summary>
internal sealed class EncoderMemory(Tensor states, Tensor keys, Tensor padding) : IDisposable
{
    /// <summary>(batch, srcLen, encoderOutputSize).</summary>
    public Tensor States { get; } = states;

    /// <summary>(batch, srcLen, attentionSize): U·States, computed once.</summary>
    public Tensor Keys { get; } = keys;

    /// <summary>(batch, srcLen) bool, true at padding positions.</summary>
    public Tensor Padding { get; } = padding;

    /// <summary>The rows <paramref name="index"/> (e.g. to expand for beams or drop finished sentences).</summary>
    public EncoderMemory Select(Tensor index) =>
        new(States.index_select(0, index), Keys.index_select(0, index), Padding.index_select(0, index));

    /// <summary>
    /// The first <paramref name="width"/> source positions (a batch encoded at a larger padded width: the states of
    /// real tokens do not depend on the padding after them).
    /// </summary>
    public EncoderMemory Narrow(long width) =>
        new(States.narrow(1, 0, width), Keys.narrow(1, 0, width), Padding.narrow(1, 0, width));

    /// <summary>The rows of <paramref name="first"/> followed by those of <paramref name="second"/> (equal source widths).</summary>
    public static EncoderMemory Concat(EncoderMemory first, EncoderMemory second) =>
        new(cat([first.States, second.States]), cat([first.Keys, second.Keys]), cat([first.Padding, second.Padding]));

    /// <summary>Takes the tensors out of every dispose scope: their owner disposes them.</summary>
    public EncoderMemory DetachFromDisposeScope()
    {
        States.DetachFromDisposeScope();
        Keys.DetachFromDisposeScope();
        Padding.DetachFromDisposeScope();
        return this;
    }

    /// <summary>Moves the tensors to the enclosing dispose scope.</summary>
    public EncoderMemory MoveToOuterDisposeScope()
    {
        States.MoveToOuterDisposeScope();
        Keys.MoveToOuterDisposeScope();
        Padding.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        States.Dispose();
        Keys.Dispose();
        Padding.Dispose();
    }
}
