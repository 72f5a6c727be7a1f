namespace Seq2Seq.Training;

/// <summary>The result of <see cref="Trainer.Run"/>.</summary>
/// <param name="BestCheckpoint">The checkpoint folder with the best validation score (null before the first validation).</param>
/// <param name="LastCheckpoint">The newest checkpoint folder, the one a resumed run continues from.</param>
/// <param name="TrainingSeconds">Training time of the whole run, earlier sessions of a resumed run included.</param>
/// <param name="History">Every validation of the run, oldest first (also kept in each checkpoint's <c>trainer_state.json</c>).</param>
public sealed record TrainingOutcome(TrainingEnd End, long Steps, string? BestCheckpoint, string? LastCheckpoint, double TrainingSeconds,
    IReadOnlyList<ValidationResult> History);
