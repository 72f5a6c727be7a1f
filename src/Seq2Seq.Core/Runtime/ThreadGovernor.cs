using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace Seq2Seq.Runtime;

/// <summary>
/// libtorch's thread count for one compute loop. An explicit count (<c>--threads N</c>) is set once and never
/// changed. Without one, the governor starts with every available core and follows <see cref="ThreadPolicy"/>:
/// one thread while another session's work takes a core, every core again when it is free. Call
/// <see cref="Tick"/> between units of work (a training step, a search batch) <b>on the thread that runs
/// them</b>: libtorch keeps its OpenMP thread count per calling thread.
/// </summary>
internal sealed class ThreadGovernor
{
    /// <summary>
    /// The shortest sample of the scheduler's statistics, in seconds: a sample is taken at the first call to
    /// <see cref="Tick"/> after it, so one contended training step that takes several seconds is one sample.
    /// </summary>
    public const double SampleSeconds = 1;

    /// <summary>One reading of what the policy looks at: each thread's (on-core, waiting) nanoseconds and the CPU times.</summary>
    internal sealed record Reading(IReadOnlyDictionary<int, (long Running, long Waiting)> Threads, CpuUse Cpu);

    private readonly ThreadPolicy? _policy;
    private readonly Func<Reading?> _read;
    private readonly ILogger _logger;
    private readonly Func<double> _seconds;
    private Reading? _last;
    private double _lastSeconds;

    private ThreadGovernor(int threads, ThreadPolicy? policy, Func<Reading?> read, ILogger? logger, Func<double> seconds)
    {
        Threads = MaxThreads = threads;
        _policy = policy;
        _read = read;
        _logger = logger ?? NullLogger.Instance;
        _seconds = seconds;
        _logger.LogDebug("libtorch threads: {Threads} ({How})", threads, policy is null ? "fixed" : "one while another process takes a core");
        set_num_threads(threads);
        _last = policy is null ? null : read();
    }

    /// <summary>
    /// Sets libtorch's threads on the calling thread: <paramref name="requested"/> fixed, or (null or 0) every
    /// available core, adapted to other work where Linux reports run-queue waits and CPU times.
    /// </summary>
    public static ThreadGovernor Start(int? requested, ILogger? logger = null) =>
        Start(requested, ReadNow, logger, AvailableCores);

    /// <summary>
    /// <see cref="Start(int?, ILogger?)"/> with the readings, the core count and the clock (seconds since start)
    /// replaced (tests).
    /// </summary>
    internal static ThreadGovernor Start(int? requested, Func<Reading?> read, ILogger? logger, int availableCores, Func<double>? seconds = null)
    {
        if (requested < 0) throw new ArgumentOutOfRangeException(nameof(requested), requested, "the thread count must be at least 1 (0 = all available cores)");
        if (seconds is null)
        {
            var clock = Stopwatch.StartNew();
            seconds = () => clock.Elapsed.TotalSeconds;
        }
        if (requested is > 0) return new ThreadGovernor(requested.Value, null, read, logger, seconds);
        int all = availableCores;
        bool adaptive = all > 1 && read() is not null;
        return new ThreadGovernor(all, adaptive ? new ThreadPolicy(all) : null, read, logger, seconds);
    }

    private static Reading? ReadNow() =>
        RunQueueWait.Read() is { } threads && CpuUse.Read(AvailableCores) is { } cpu ? new Reading(threads, cpu) : null;

    /// <summary>Cores this process may run on (affinity masks and container limits included).</summary>
    public static int AvailableCores => Environment.ProcessorCount;

    /// <summary>The most threads this governor uses (the fixed count when not adaptive).</summary>
    public int MaxThreads { get; }

    /// <summary>The thread count in force.</summary>
    public int Threads { get; private set; }

    /// <summary>True when the count follows the machine's load (no explicit count was given).</summary>
    public bool Adaptive => _policy is not null;

    /// <summary>
    /// Sets the count in force on the calling thread, for a loop that may run on another thread than the last one
    /// (libtorch keeps the count per thread).
    /// </summary>
    public void ApplyToCurrentThread()
    {
        if (get_num_threads() != Threads) set_num_threads(Threads);
    }

    /// <summary>Samples the scheduler when <see cref="SampleSeconds"/> have passed and applies the policy's answer.</summary>
    public void Tick()
    {
        double seconds = _seconds();
        if (_policy is null || seconds - _lastSeconds < SampleSeconds) return;
        var now = _read();
        if (now is null || _last is null) { (_last, _lastSeconds) = (now, seconds); return; }
        double span = seconds - _lastSeconds;
        double waiting = RunQueueWait.WaitingCores(_last.Threads, now.Threads, span);
        double others = CpuUse.OtherCores(_last.Cpu, now.Cpu);
        (_last, _lastSeconds) = (now, seconds);
        int next = _policy.Observe(waiting, others, span);
        _logger.LogDebug("Sample of {Seconds:F1} s: other processes {Others:F2} cores, our threads waited {Waiting:F2} cores' worth, {Threads} threads -> {Next}", span, others, waiting, Threads, next);
        if (next == Threads) return;
        if (next > Threads) _logger.LogInformation("A core is free again ({Others:F2} cores used by other processes): {Threads} threads", others, next);
        else _logger.LogInformation("Another process is using the CPU ({Others:F2} cores; our threads waited {Waiting:F2} cores' worth): 1 thread until a core is free (--threads N fixes the count)", others, waiting);
        Threads = next;
        set_num_threads(next);
    }
}
