using static TorchSharp.torch;

namespace Seq2Seq.Runtime;

/// <summary>
/// How many CPU threads libtorch uses for one operation (its intra-op pool). The default is every core this
/// process may run on (affinity masks and container limits included): alone on a machine, two threads gave
/// 1.33× the training throughput of one here. On a machine shared with other busy work, fewer threads lose
/// less: an operation split over N threads waits for the slowest, and a thread that shares its core waits a
/// whole scheduler slice — so two one-thread runs side by side do more work than one two-thread run.
/// </summary>
public static class CpuThreads
{
    /// <summary>Cores available to this process.</summary>
    public static int Available => Environment.ProcessorCount;

    /// <summary>Sets libtorch's thread count (<paramref name="requested"/>, or <see cref="Available"/> when null
    /// or 0) and returns it.</summary>
    public static int Apply(int? requested)
    {
        if (requested < 0) throw new ArgumentOutOfRangeException(nameof(requested), requested, "the thread count must be at least 1 (0 = all available cores)");
        int threads = requested is > 0 ? requested.Value : Available;
        if (get_num_threads() != threads) set_num_threads(threads);
        return threads;
    }
}
