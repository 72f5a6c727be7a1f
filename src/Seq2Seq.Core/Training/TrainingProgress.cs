namespace Seq2Seq.Training;

/// <summary>A periodic report from the training loop, for progress bars and log lines.</summary>
public sealed record TrainingProgress(
    long Step, int Epoch, int BatchInEpoch, int BatchesInEpoch, long TotalSteps,
    double Loss, double TokensPerSecond, double LearningRate, TimeSpan Elapsed, TimeSpan? Remaining);

/// <summary>How a training run ended.</summary>
public enum TrainingEnd
{
    /// <summary>All epochs or steps were done.</summary>
    Completed,
    /// <summary>Validation stopped improving for the configured patience.</summary>
    EarlyStopped,
    /// <summary>Stopped on request (Ctrl+C, SIGTERM); a checkpoint was saved and the run can be resumed.</summary>
    Interrupted,
}

/// <summary>The result of <see cref="Trainer.Run"/>.</summary>
public sealed record TrainingOutcome(TrainingEnd End, long Steps, string? BestCheckpoint, string? LastCheckpoint, double TrainingSeconds);

/// <summary>Raised when too many consecutive batches produce a non-finite loss; the last good checkpoint is kept.</summary>
public sealed class TrainingDivergedException(string message) : IO.InputException(message);
