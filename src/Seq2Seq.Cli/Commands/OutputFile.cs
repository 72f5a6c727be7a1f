using System.Text;
using Seq2Seq.IO;

namespace Seq2Seq.Cli.Commands;

/// <summary>Writes a command's complete output to a file atomically, or to standard output for "-".</summary>
public static class OutputFile
{
    public static void Write(string path, string content)
    {
        if (path == "-")
        {
            using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
            stdout.Write(content);
            return;
        }
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is null || !Directory.Exists(directory)) throw InputException.In(path, "the output folder does not exist");
        try { AtomicFile.WriteAllText(path, content); }
        catch (UnauthorizedAccessException) { throw InputException.In(path, "permission denied"); }
        catch (IOException e) { throw InputException.In(path, $"cannot write: {e.Message}"); }
    }
}
