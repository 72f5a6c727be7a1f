namespace Seq2Seq.Training;

/// <summary>A periodic report from the training loop, for progress bars and log lines.</summary>
/// <param name="Remaining">Time left under the limit that ends the run first, named by <paramref name="Limit"/>.</param>
public sealed record TrainingProgress(
    long Step, int Epoch, int BatchInEpoch, int BatchesInEpoch, long TotalSteps,
    double Loss, double TokensPerSecond, double LearningRate, TimeSpan Elapsed, TimeSpan? Remaining, string Limit);
