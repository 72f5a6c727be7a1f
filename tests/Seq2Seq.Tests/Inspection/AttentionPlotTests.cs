using Seq2Seq.Tests.Support;
using Seq2Seq.Inspection;

namespace Seq2Seq.Tests.Inspection;

public class AttentionPlotTests
{
    [Theory]
    [InlineData("attention.jpg")]
    [InlineData("attention.PDF")]
    [InlineData("attention")]
    public void Unknown_extensions_are_refused_before_writing(string name)
    {
        using var folder = new TempDirectory();
        string path = folder.File(name);
        var error = Assert.Throws<ArgumentException>(() => AttentionPlot.Save(SampleMatrices.RedHouse(), path));
        Assert.Contains("use .png, .svg or .html", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Several_sentences_need_an_html_page()
    {
        using var folder = new TempDirectory();
        var two = new[] { SampleMatrices.RedHouse(), SampleMatrices.BarkingDog() };
        var error = Assert.Throws<ArgumentException>(() => AttentionPlot.Save(two, folder.File("two.svg")));
        Assert.Contains(".html", error.Message);
        Assert.Throws<ArgumentException>(() => AttentionPlot.Save(Array.Empty<AttentionMatrix>(), folder.File("none.html")));

        AttentionPlot.Save([SampleMatrices.RedHouse()], folder.File("one.svg"));
        Assert.True(File.Exists(folder.File("one.svg")));
    }

    [Theory]
    [InlineData("attention.png")]
    [InlineData("attention.svg")]
    [InlineData("attention.html")]
    [InlineData("ATTENTION.HTM")]
    public void Replaces_an_existing_file_and_leaves_no_temporary_file(string name)
    {
        using var folder = new TempDirectory();
        string path = folder.File(name);
        File.WriteAllText(path, "old content");

        AttentionPlot.Save(SampleMatrices.RedHouse(), path);

        Assert.NotEqual("old content", File.ReadAllText(path));
        Assert.True(new FileInfo(path).Length > 500);
        Assert.Equal([name], Directory.EnumerateFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failed_write_removes_its_temporary_file()
    {
        using var folder = new TempDirectory();
        // The target is a folder, so the final rename fails after the temporary file was written.
        string path = folder.File("taken.svg");
        Directory.CreateDirectory(path);

        var error = Assert.ThrowsAny<Exception>(() => AttentionPlot.Save(SampleMatrices.RedHouse(), path));
        Assert.True(error is IOException or UnauthorizedAccessException, $"unexpected {error.GetType()}: {error.Message}");
        Assert.Empty(Directory.GetFiles(folder.Path)); // the temporary file was removed
        Assert.True(Directory.Exists(path));
    }
}
