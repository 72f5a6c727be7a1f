using System.IO.Compression;
using Seq2Seq.IO;
using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Data;

public class TextLinesTests
{
    [Fact]
    public void Strips_bom_and_carriage_returns_and_numbers_lines()
    {
        using var dir = new TempDirectory();
        string path = dir.File("a.txt");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "first\r\nsecond\n\nlast"u8]);
        var lines = TextLines.Read(path).ToList();
        Assert.Equal(["first", "second", "", "last"], lines.Select(l => l.Text));
        Assert.Equal([1L, 2, 3, 4], lines.Select(l => l.Number));
    }

    [Fact]
    public void Reads_gzip_transparently()
    {
        using var dir = new TempDirectory();
        string path = dir.File("a.txt.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gz.Write("Grüße\nzwei\n"u8);
        Assert.Equal(["Grüße", "zwei"], TextLines.Read(path).Select(l => l.Text));
    }

    [Fact]
    public void Invalid_utf8_names_file_and_line()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.txt");
        File.WriteAllBytes(path, [.. "ok\nalso ok\nbad "u8, 0xC3, 0x28, .. "\n"u8]);
        var error = Assert.Throws<InputException>(() => TextLines.Read(path).ToList());
        Assert.Contains($"{path}:3:", error.Message);
        Assert.Contains("invalid UTF-8", error.Message);
    }

    [Fact]
    public void Nul_bytes_are_reported_as_binary()
    {
        using var dir = new TempDirectory();
        string path = dir.File("bin.dat");
        File.WriteAllBytes(path, [0x41, 0x00, 0x42, 0x0A]);
        var error = Assert.Throws<InputException>(() => TextLines.Read(path).ToList());
        Assert.Contains($"{path}:1:", error.Message);
        Assert.Contains("NUL", error.Message);
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var error = Assert.Throws<InputException>(() => TextLines.Read("/nonexistent/file.txt").ToList());
        Assert.Equal("/nonexistent/file.txt: directory not found", error.Message);
    }
}
