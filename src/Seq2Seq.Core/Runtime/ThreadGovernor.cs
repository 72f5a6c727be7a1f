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
    /// <summary>Seconds between samples of the scheduler's statistics.</summary>
    public const double SampleSeconds = 3;

    private readonly ThreadPolicy? _policy;
    private readonly Func<IReadOnlyDictionary<int, (long Running, long Waiting)>?> _read;
    private readonly ILogger _logger;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private IReadOnlyDictionary<int, (long Running, long Waiting)>? _last;
    private double _lastSeconds;
    private bool _probing;

    private ThreadGovernor(int threads, ThreadPolicy? policy, Func<IReadOnlyDictionary<int, (long, long)>?> read, ILogger? logger)
    {
        Threads = MaxThreads = threads;
        _policy = policy;
        _read = read;
        _logger = logger ?? NullLogger.Instance;
        set_num_threads(threads);
        _last = policy is null ? null : read();
    }

    /// <summary>
    /// Sets libtorch's threads on the calling thread: <paramref name="requested"/> fixed, or (null or 0) every
    /// available core, adapted to other work where Linux reports run-queue waits.
    /// </summary>
    public static ThreadGovernor Start(int? requested, ILogger? logger = null) =>
        Start(requested, RunQueueWait.Read, logger, AvailableCores);

    /// <summary><see cref="Start(int?, ILogger?)"/> with the statistics source and core count replaced (tests).</summary>
    internal static ThreadGovernor Start(int? requested, Func<IReadOnlyDictionary<int, (long Running, long Waiting)>?> read, ILogger? logger, int availableCores)
    {
        if (requested < 0) throw new ArgumentOutOfRangeException(nameof(requested), requested, "the thread count must be at least 1 (0 = all available cores)");
        if (requested is > 0) return new ThreadGovernor(requested.Value, null, read, logger);
        int all = availableCores;
        bool adaptive = all > 1 && read() is not null;
        return new ThreadGovernor(all, adaptive ? new ThreadPolicy(all) : null, read, logger);
    }

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
    public void Tick() => TickAt(_clock.Elapsed.TotalSeconds);

    /// <summary><see cref="Tick()"/> at a given time in seconds since start (tests).</summary>
    internal void TickAt(double seconds)
    {
        if (_policy is null || seconds - _lastSeconds < SampleSeconds) return;
        var now = _read();
        if (now is null || _last is null) { (_last, _lastSeconds) = (now, seconds); return; }
        double waiting = RunQueueWait.WaitingCores(_last, now, seconds - _lastSeconds);
        (_last, _lastSeconds) = (now, seconds);
        int next = _policy.Observe(waiting);
        bool probing = _probing;
        _probing = next > Threads;
        if (next == Threads)
        {
            if (probing) _logger.LogInformation("A core is free again: {Threads} threads", Threads);
            return;
        }
        if (_probing) _logger.LogDebug("Trying {Threads} threads", next);
        else if (probing) _logger.LogDebug("The CPU is still shared ({Waiting:F2} cores' worth of waiting): back to 1 thread", waiting);
        else _logger.LogInformation("Another process is using the CPU ({Waiting:F2} cores' worth of waiting): 1 thread until a core is free (--threads N fixes the count)", waiting);
        Threads = next;
        set_num_threads(next);
    }
}
