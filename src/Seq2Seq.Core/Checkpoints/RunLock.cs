using Seq2Seq.IO;

namespace Seq2Seq.Checkpoints;

/// <summary>
/// Keeps a second trainer out of a run folder while one is using it: an exclusively opened lock file that the
/// operating system releases even when the process is killed.
/// </summary>
internal sealed class RunLock : IDisposable
{
    private readonly FileStream _stream;

    private RunLock(FileStream stream) => _stream = stream;

    public static RunLock Acquire(string runDirectory)
    {
        string path = Path.Combine(runDirectory, ".lock");
        try
        {
            return new RunLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            throw InputException.In(runDirectory, "is being used by another training process");
        }
        catch (UnauthorizedAccessException)
        {
            throw InputException.In(runDirectory, "is not writable");
        }
    }

    public void Dispose() => _stream.Dispose();
}
