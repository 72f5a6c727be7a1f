using System.IO.Compression;
using System.Text;

namespace Seq2Seq.IO;

/// <summary>
/// One line of a text file with its 1-based line number. When read leniently, a line that is not valid
/// UTF-8 text has empty <see cref="Text"/> and says why in <see cref="Problem"/>.
/// </summary>
internal readonly record struct NumberedLine(long Number, string Text, string? Problem = null);

/// <summary>
/// Streams the lines of a UTF-8 text file (plain or gzip, detected from its first bytes; "-" is standard
/// input). A byte-order mark and CR before LF are dropped; invalid UTF-8 and NUL bytes are errors that name
/// the file and line, so binary files are rejected rather than misread, unless the caller reads leniently
/// and handles such lines itself (translate keeps going and writes an empty line for them).
/// </summary>
internal static class TextLines
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads every line of <paramref name="path"/>; <paramref name="lenient"/> reports undecodable lines instead of failing.</summary>
    public static IEnumerable<NumberedLine> Read(string path, bool lenient = false)
    {
        using var stream = Open(path);
        foreach (var line in Read(stream, path, lenient))
            yield return line;
    }

    /// <summary>Reads every line of <paramref name="stream"/>; <paramref name="name"/> is used in messages.</summary>
    public static IEnumerable<NumberedLine> Read(Stream stream, string name, bool lenient = false)
    {
        var buffered = new BufferedStream(stream, 1 << 16);
        var bytes = new List<byte>(256);
        long number = 0;
        int b;
        bool sawAny = false;
        while ((b = SafeReadByte(buffered, name, number + 1)) >= 0)
        {
            sawAny = true;
            if (b == '\n')
            {
                yield return Decode(bytes, name, ++number, lenient);
                bytes.Clear();
            }
            else bytes.Add((byte)b);
        }
        if (sawAny && bytes.Count > 0)
            yield return Decode(bytes, name, ++number, lenient);
    }

    /// <summary>Opens a file for reading, transparently decompressing gzip; "-" means standard input.</summary>
    public static Stream Open(string path)
    {
        if (path == "-") return Console.OpenStandardInput();
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw InputException.In(path, Describe(e));
        }
        Span<byte> magic = stackalloc byte[2];
        int read = file.Read(magic);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>Counts the lines of a file without keeping them.</summary>
    public static long Count(string path) => Read(path, lenient: true).LongCount();

    private static int SafeReadByte(Stream stream, string name, long line)
    {
        try { return stream.ReadByte(); }
        catch (InvalidDataException e) { throw InputException.At(name, line, $"the gzip data is corrupt ({e.Message})"); }
        catch (IOException e) { throw InputException.At(name, line, $"cannot read: {e.Message}"); }
    }

    private static NumberedLine Decode(List<byte> bytes, string name, long number, bool lenient)
    {
        try
        {
            return Decode(bytes, name, number);
        }
        catch (InputException e) when (lenient)
        {
            return new NumberedLine(number, "", e.Problem);
        }
    }

    private static NumberedLine Decode(List<byte> bytes, string name, long number)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes);
        if (number == 1 && span.StartsWith("\uFEFF"u8)) span = span[3..];
        if (span.Length > 0 && span[^1] == '\r') span = span[..^1];
        int nul = span.IndexOf((byte)0);
        if (nul >= 0)
            throw InputException.At(name, number, $"contains a NUL byte at byte {nul + 1}; this looks like a binary file, not UTF-8 text");
        try
        {
            return new NumberedLine(number, StrictUtf8.GetString(span));
        }
        catch (DecoderFallbackException e)
        {
            int at = e.Index >= 0 ? e.Index + 1 : 0;
            throw InputException.At(name, number, $"invalid UTF-8 at byte {at} of the line");
        }
    }

    internal static string Describe(Exception e) => e switch
    {
        FileNotFoundException => "file not found",
        DirectoryNotFoundException => "directory not found",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };
}
