using Seq2Seq.Data;
using Seq2Seq.IO;
using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Data;

public class ParallelCorpusTests
{
    [Fact]
    public void Resolves_prefix_and_language_codes_including_gzip()
    {
        using var dir = new TempDirectory();
        dir.WriteLines("train.en", ["a", "b"]);
        File.WriteAllBytes(dir.File("train.de.gz"), Gzip("x\ny\n"));
        var files = CorpusFiles.Resolve(dir.File("train"), "en", "de");
        Assert.EndsWith("train.de.gz", files.Target);
        var pairs = ParallelCorpus.Read(files);
        Assert.Equal([("a", "x"), ("b", "y")], pairs.Select(p => (p.Source, p.Target)));
    }

    [Fact]
    public void Mismatched_line_counts_name_both_files_and_counts()
    {
        using var dir = new TempDirectory();
        string source = dir.WriteLines("s.txt", ["1", "2", "3"]);
        string target = dir.WriteLines("t.txt", ["1", "2"]);
        var error = Assert.Throws<InputException>(() => ParallelCorpus.Read(new CorpusFiles(source, target)));
        Assert.Equal($"{source} has 3 lines but {target} has 2; aligned files must have the same number of lines", error.Message);
    }

    [Fact]
    public void Tsv_lines_need_a_tab()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteLines("c.tsv", ["a\tb\textra", "no tab here"]);
        var error = Assert.Throws<InputException>(() => ParallelCorpus.Read(CorpusFiles.Resolve(path, "en", "de")));
        Assert.Contains($"{path}:2:", error.Message);
    }

    [Fact]
    public void Tsv_extra_columns_are_ignored()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteLines("c.tsv", ["a\tb\textra"]);
        Assert.Equal(("a", "b"), ParallelCorpus.Read(CorpusFiles.Resolve(path, "en", "de")).Select(p => (p.Source, p.Target)).Single());
    }

    [Fact]
    public void Empty_corpus_is_an_error()
    {
        using var dir = new TempDirectory();
        string source = dir.WriteLines("e.en", []);
        string target = dir.WriteLines("e.de", []);
        var error = Assert.Throws<InputException>(() => ParallelCorpus.Read(new CorpusFiles(source, target)));
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void Missing_language_file_is_named()
    {
        using var dir = new TempDirectory();
        dir.WriteLines("train.en", ["a"]);
        var error = Assert.Throws<InputException>(() => CorpusFiles.Resolve(dir.File("train"), "en", "fr"));
        Assert.Contains("train.fr", error.Message);
    }

    private static byte[] Gzip(string text)
    {
        using var memory = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(memory, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(System.Text.Encoding.UTF8.GetBytes(text));
        return memory.ToArray();
    }
}
