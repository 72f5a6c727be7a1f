using System.Runtime.InteropServices;

namespace Seq2Seq.Runtime;

/// <summary>
/// Keeps glibc's allocator from handing large tensor buffers back to the kernel after every use. By default
/// each buffer over a few MB (logits, their gradients) is a fresh mmap whose pages fault in one by one on
/// every training step; keeping freed memory in the heap removed a quarter of the step time here. Call once
/// at start-up; does nothing outside Linux/glibc. (PyTorch users get the same effect from jemalloc/tcmalloc.)
/// </summary>
public static class AllocatorTuning
{
    private const int TrimThreshold = -1;   // M_TRIM_THRESHOLD
    private const int TopPad = -2;          // M_TOP_PAD
    private const int MmapThreshold = -3;   // M_MMAP_THRESHOLD
    private static int _applied;

    /// <summary>Applies the settings once per process; returns false where they do not apply.</summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (Interlocked.Exchange(ref _applied, 1) == 1) return true;
        try
        {
            bool ok = mallopt(MmapThreshold, 32 << 20) == 1;          // the largest glibc accepts on 64-bit
            ok &= mallopt(TrimThreshold, int.MaxValue) == 1;
            ok &= mallopt(TopPad, 64 << 20) == 1;
            return ok;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (e.g. musl): nothing to tune
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
