namespace Seq2Seq.Inference;

/// <summary>What happened to the lines of one translated file, for warnings and the exit code.</summary>
internal sealed class FileTranslationReport
{
    /// <summary>Lines written (always equal to the lines read).</summary>
    public long Lines { get; internal set; }

    /// <summary>Lines that were not valid text (invalid UTF-8, NUL bytes): an empty line was written for each.</summary>
    public List<(long Line, string Problem)> Unreadable { get; } = [];

    /// <summary>Lines longer than the source limit: only their beginning was translated.</summary>
    public List<long> Truncated { get; } = [];
}
