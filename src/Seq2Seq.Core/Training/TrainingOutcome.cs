namespace Seq2Seq.Training;

/// <summary>The result of <see cref="Trainer.Run"/>.</summary>
public sealed record TrainingOutcome(TrainingEnd End, long Steps, string? BestCheckpoint, string? LastCheckpoint, double TrainingSeconds);
