namespace Seq2Seq.Runtime;

/// <summary>
/// Decides how many threads libtorch should use, one sample at a time, from two readings: how long this process's
/// busy threads waited for a core (<see cref="RunQueueWait"/>) and how much CPU other processes used
/// (<see cref="CpuUse"/>). Alone on the machine, use every core. When another session's work takes a core, an
/// operation split over every core waits for the thread that lost it on every step (measured here: 0.05–0.15× of
/// the speed alone), while one thread keeps going (0.38–0.57×). So: once samples in a row covering
/// <see cref="SecondsToDrop"/> show other processes using at least <see cref="OtherCoresTaken"/> of a core
/// <em>and</em> our threads waiting at least <see cref="WaitingCoresToDrop"/>, one thread; once samples in a row
/// covering <see cref="SecondsToReturn"/> show other processes using less, every core again. Both readings are
/// needed: waiting alone also comes from this process's own threads (a service's HTTP threads), and other
/// processes' CPU alone also comes from niced work that yields at once. The evidence is counted in seconds, not
/// samples, because samples are taken between units of work: one that spans a whole contended training step is
/// already seconds of evidence. Pure logic, no clock: <see cref="ThreadGovernor"/> feeds it.
/// </summary>
internal sealed class ThreadPolicy(int maxThreads)
{
    /// <summary>Cores' worth of run-queue waiting per second that shows our threads losing a core. Alone: 0–0.05.</summary>
    public double WaitingCoresToDrop { get; init; } = 0.25;

    /// <summary>Cores' worth of CPU used by other processes that counts as a taken core.</summary>
    public double OtherCoresTaken { get; init; } = 0.5;

    /// <summary>Seconds in a row of a taken core before dropping to one thread: a command that ends at once is not a co-runner.</summary>
    public double SecondsToDrop { get; init; } = 2;

    /// <summary>Seconds in a row of a free core before using every core again: one pause of a build is not its end.</summary>
    public double SecondsToReturn { get; init; } = 6;

    private double _secondsInARow;

    /// <summary>The thread count the policy asks for now.</summary>
    public int Threads { get; private set; } = Math.Max(1, maxThreads);

    /// <summary>
    /// Takes the cores' worth of waiting of our threads and of CPU used by other processes over the last sample of
    /// <paramref name="seconds"/> (at <see cref="Threads"/> threads) and returns the thread count for the next one.
    /// </summary>
    public int Observe(double waitingCores, double otherCores, double seconds)
    {
        if (maxThreads <= 1) return Threads;
        bool taken = otherCores >= OtherCoresTaken;
        bool change = Threads == 1 ? !taken : taken && waitingCores >= WaitingCoresToDrop;
        _secondsInARow = change ? _secondsInARow + seconds : 0;
        // A hair under the limit still counts: sample lengths are measured, not exact.
        if (_secondsInARow < 0.99 * (Threads == 1 ? SecondsToReturn : SecondsToDrop)) return Threads;
        _secondsInARow = 0;
        Threads = Threads == 1 ? maxThreads : 1;
        return Threads;
    }
}
