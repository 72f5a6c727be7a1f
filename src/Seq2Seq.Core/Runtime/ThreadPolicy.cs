namespace Seq2Seq.Runtime;

/// <summary>
/// Decides how many threads libtorch should use from how long this process's busy threads waited for a core
/// (<see cref="RunQueueWait"/>), one sample at a time. Alone on the machine, use every core. When another
/// session's work takes a core, an operation split over every core waits for the thread that lost it on every
/// step (measured here: 0.05–0.15× of the speed alone), while one thread keeps going (0.38–0.57×): so after
/// <see cref="StrikesToDrop"/> samples in a row with at least <see cref="WaitingCoresToDrop"/> cores' worth of
/// waiting, drop to one thread. Then try every core again after <see cref="FirstProbeSamples"/> samples; a try
/// that still waits goes back to one thread and doubles the time to the next try, up to
/// <see cref="LongestProbeSamples"/>. Pure logic, no clock: <see cref="ThreadGovernor"/> feeds it.
/// </summary>
internal sealed class ThreadPolicy(int maxThreads)
{
    /// <summary>Cores' worth of run-queue waiting per second that counts as a taken core. Alone: 0–0.05.</summary>
    public double WaitingCoresToDrop { get; init; } = 0.25;

    /// <summary>Waiting samples in a row before dropping to one thread: one burst is not a co-runner.</summary>
    public int StrikesToDrop { get; init; } = 2;

    /// <summary>Samples on one thread before the first try of every core.</summary>
    public int FirstProbeSamples { get; init; } = 10;

    /// <summary>The longest wait between tries, reached by doubling after each failed try.</summary>
    public int LongestProbeSamples { get; init; } = 160;

    private int _strikes;
    private int _untilProbe;
    private int _probeInterval;
    private bool _probing;

    /// <summary>The thread count the policy asks for now.</summary>
    public int Threads { get; private set; } = Math.Max(1, maxThreads);

    /// <summary>
    /// Takes the cores' worth of waiting measured over the last sample (at <see cref="Threads"/> threads) and
    /// returns the thread count for the next one.
    /// </summary>
    public int Observe(double waitingCores)
    {
        if (maxThreads <= 1) return Threads;
        bool waited = waitingCores >= WaitingCoresToDrop;
        if (Threads == 1)
        {
            if (--_untilProbe <= 0) (Threads, _probing) = (maxThreads, true);
        }
        else if (_probing)
        {
            _probing = false;
            if (waited) Drop(Math.Min(2 * _probeInterval, LongestProbeSamples));
        }
        else
        {
            _strikes = waited ? _strikes + 1 : 0;
            if (_strikes >= StrikesToDrop) Drop(FirstProbeSamples);
        }
        return Threads;
    }

    private void Drop(int samplesUntilProbe)
    {
        Threads = 1;
        _strikes = 0;
        _probeInterval = samplesUntilProbe;
        _untilProbe = samplesUntilProbe;
    }
}
