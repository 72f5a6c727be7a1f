using Seq2Seq.Text;
using static TorchSharp.torch;

namespace Seq2Seq.Data;

/// <summary>
/// A padded batch as tensors: sources with EOS appended, decoder inputs (BOS + target) and decoder outputs
/// (target + EOS). Padding uses <see cref="SpecialTokens.PadId"/>, which the loss ignores.
/// </summary>
internal sealed class Batch : IDisposable
{
    private Batch(Tensor source, Tensor sourceLengths, Tensor? targetInput, Tensor? targetOutput, int targetTokens)
    {
        Source = source;
        SourceLengths = sourceLengths;
        TargetInput = targetInput;
        TargetOutput = targetOutput;
        TargetTokens = targetTokens;
    }

    /// <summary>(batch, srcLen) int64 ids on the model device.</summary>
    public Tensor Source { get; }

    /// <summary>(batch) int64 lengths on the CPU, as packing requires.</summary>
    public Tensor SourceLengths { get; }

    /// <summary>(batch, tgtLen) BOS followed by the target; null for source-only batches.</summary>
    public Tensor? TargetInput { get; }

    /// <summary>(batch, tgtLen) the target followed by EOS; null for source-only batches.</summary>
    public Tensor? TargetOutput { get; }

    /// <summary>Number of real (non-pad) target tokens, EOS included.</summary>
    public int TargetTokens { get; }

    public long Size => Source.shape[0];

    /// <summary>Builds a batch from id sequences; <paramref name="targets"/> may be null (translation).</summary>
    public static Batch Create(IReadOnlyList<int[]> sources, IReadOnlyList<int[]>? targets, Device device, int minimumSourceLength = 0)
    {
        int count = sources.Count;
        int sourceLength = Math.Max(sources.Max(s => s.Length) + 1, minimumSourceLength);
        var sourceIds = new long[count * sourceLength];
        var lengths = new long[count];
        for (int b = 0; b < count; b++)
        {
            var ids = sources[b];
            for (int i = 0; i < ids.Length; i++) sourceIds[b * sourceLength + i] = ids[i];
            sourceIds[b * sourceLength + ids.Length] = SpecialTokens.EosId;
            lengths[b] = ids.Length + 1;
        }
        var source = tensor(sourceIds, [count, sourceLength], device: device);
        var sourceLengths = tensor(lengths);
        if (targets is null) return new Batch(source, sourceLengths, null, null, 0);

        int targetLength = targets.Max(t => t.Length) + 1;
        var input = new long[count * targetLength];
        var output = new long[count * targetLength];
        int tokens = 0;
        for (int b = 0; b < count; b++)
        {
            var ids = targets[b];
            input[b * targetLength] = SpecialTokens.BosId;
            for (int i = 0; i < ids.Length; i++)
            {
                input[b * targetLength + i + 1] = ids[i];
                output[b * targetLength + i] = ids[i];
            }
            output[b * targetLength + ids.Length] = SpecialTokens.EosId;
            tokens += ids.Length + 1;
        }
        return new Batch(source, sourceLengths,
            tensor(input, [count, targetLength], device: device), tensor(output, [count, targetLength], device: device), tokens);
    }

    public void Dispose()
    {
        Source.Dispose();
        SourceLengths.Dispose();
        TargetInput?.Dispose();
        TargetOutput?.Dispose();
    }
}
