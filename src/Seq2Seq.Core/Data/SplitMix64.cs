namespace Seq2Seq.Data;

/// <summary>
/// A tiny seeded generator (SplitMix64) whose sequence is fixed forever, unlike <see cref="Random"/>, whose
/// algorithm may change between .NET versions; data order must not depend on the runtime.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
