namespace Seq2Seq.Benchmarks;

/// <summary>Work whose throughput the contention benchmark compares alone and beside other work.</summary>
internal interface IThroughputProbe : IDisposable
{
    /// <summary>What <see cref="Run"/> counts, for the output's names (e.g. <c>tokens_per_s</c>).</summary>
    string Unit { get; }

    /// <summary>The thread count in force now.</summary>
    int Threads { get; }

    /// <summary>Works for <paramref name="window"/> and returns the throughput.</summary>
    double Run(TimeSpan window);

    /// <summary>Works for <paramref name="window"/> or until <paramref name="stop"/> (checked between units of work) and returns the throughput.</summary>
    double Run(TimeSpan window, CancellationToken stop);
}
