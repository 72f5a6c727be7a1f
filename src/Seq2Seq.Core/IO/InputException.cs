namespace Seq2Seq.IO;

/// <summary>
/// A problem with what the user gave us (a file, a line, an option, a checkpoint), reported as one clear
/// message and a non-zero exit code rather than a stack trace.
/// </summary>
public class InputException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What is wrong, without the file and line that <see cref="Exception.Message"/> starts with.</summary>
    public string Problem { get; private init; } = message;

    /// <summary>Creates an error that names the file and (1-based) line where the problem is.</summary>
    internal static InputException At(string path, long line, string problem) => new($"{path}:{line}: {problem}") { Problem = problem };

    /// <summary>Creates an error that names the file where the problem is.</summary>
    internal static InputException In(string path, string problem) => new($"{path}: {problem}") { Problem = problem };
}
