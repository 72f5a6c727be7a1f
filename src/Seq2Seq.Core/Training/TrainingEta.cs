namespace Seq2Seq.Training;

/// <summary>
/// Time left in a run and the limit that ends it: the sooner of the work limits (<c>MaxEpochs</c>,
/// <c>MaxSteps</c>, at the speed measured so far) and the clock limit (<c>MaxSeconds</c>).
/// </summary>
internal sealed record TrainingEta(TimeSpan? Remaining, string Limit)
{
    /// <param name="batchesDone">Batches done, counted from the start of the run.</param>
    /// <param name="batchesDoneAtStart">Batches that were already done when this process started (resumed runs).</param>
    /// <param name="batchesTotal">Batches the run ends at under its work limit.</param>
    /// <param name="workLimit">The name of that limit (<c>MaxEpochs</c> or <c>MaxSteps</c>).</param>
    /// <param name="elapsed">Time this process has trained so far.</param>
    /// <param name="secondsUsed">Training seconds the run has used in total, earlier sessions included.</param>
    /// <param name="maxSeconds">The clock limit (0 = none).</param>
    public static TrainingEta Estimate(long batchesDone, long batchesDoneAtStart, long batchesTotal, string workLimit,
        TimeSpan elapsed, double secondsUsed, double maxSeconds)
    {
        double batchesPerSecond = (batchesDone - batchesDoneAtStart) / Math.Max(1e-9, elapsed.TotalSeconds);
        TimeSpan? byWork = batchesPerSecond > 0 ? TimeSpan.FromSeconds(Math.Max(0, batchesTotal - batchesDone) / batchesPerSecond) : null;
        if (maxSeconds <= 0) return new(byWork, workLimit);
        var byClock = TimeSpan.FromSeconds(Math.Max(0, maxSeconds - secondsUsed));
        return byWork is { } work && work < byClock ? new(work, workLimit) : new(byClock, "MaxSeconds");
    }
}
