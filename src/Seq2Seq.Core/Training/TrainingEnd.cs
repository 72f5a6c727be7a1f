namespace Seq2Seq.Training;

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
