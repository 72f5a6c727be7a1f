using System.Globalization;
using Seq2Seq.IO;

namespace Seq2Seq.Inference;

/// <summary>
/// The I-th of N contiguous line ranges of a file (1-based, as job arrays number their tasks), so N jobs
/// can each translate one part and the N outputs concatenated in order equal the unsharded output.
/// Ranges differ in size by at most one line.
/// </summary>
internal readonly record struct Shard(int Index, int Count)
{
    /// <summary>Parses "I/N" with 1 ≤ I ≤ N.</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            || count < 1 || index < 1 || index > count)
            throw new InputException($"--shard {text}: expected I/N with 1 ≤ I ≤ N, e.g. 3/8");
        return new Shard(index, count);
    }

    /// <summary>The 0-based line range [Start, End) of this shard in a file of <paramref name="lines"/> lines.</summary>
    public (long Start, long End) Range(long lines) =>
        (lines * (Index - 1) / Count, lines * Index / Count);

    public override string ToString() => $"{Index}/{Count}";
}
