namespace Seq2Seq.Training;

/// <summary>Raised when too many consecutive batches produce a non-finite loss; the last good checkpoint is kept.</summary>
public sealed class TrainingDivergedException(string message) : IO.InputException(message);
