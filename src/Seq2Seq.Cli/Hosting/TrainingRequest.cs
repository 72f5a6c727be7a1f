namespace Seq2Seq.Cli.Hosting;

/// <summary>What the <c>train</c> (or <c>demo</c>) command asked the hosted trainer to do, and how it ended.</summary>
public sealed class TrainingRequest(string runDirectory, bool resume)
{
    public string RunDirectory { get; } = runDirectory;
    public bool Resume { get; } = resume;

    /// <summary>Set by <see cref="TrainingService"/>: 0 when training completed, was early-stopped or interrupted cleanly.</summary>
    public int ExitCode { get; set; } = CommandRunner.InternalError;

    public Training.TrainingOutcome? Outcome { get; set; }
}
