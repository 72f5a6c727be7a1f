using System.Text;

namespace Seq2Seq.Inspection;

/// <summary>
/// Writes a heatmap file so that a reader (or a crash) sees the old file or the complete new one, never half
/// a picture: the bytes go to <c>path + ".tmp"</c> in the same folder, which is then renamed over the target.
/// </summary>
internal static class AtomicOutput
{
    internal static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The temporary sibling a write goes through.</summary>
    internal static string TempPathFor(string path) => path + ".tmp";

    internal static void WriteText(string path, string text) => Write(path, stream => stream.Write(Utf8NoBom.GetBytes(text)));

    internal static void WriteBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    internal static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string temp = TempPathFor(full);
        try
        {
            // FileMode.Create replaces a temp file left behind by a crashed earlier run.
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
