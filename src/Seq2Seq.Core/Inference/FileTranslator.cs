using System.Text;
using Seq2Seq.IO;

namespace Seq2Seq.Inference;

/// <summary>
/// Translates a text file of any size: reads it in chunks, translates each chunk in batches, and writes the
/// results in input order, one output per input line whatever happens: an empty line gives an empty line, and
/// so does a line that is not valid UTF-8 (reported in the <see cref="FileTranslationReport"/>). A file output
/// is written to a temporary name and renamed only when complete, so it is never half-written.
/// </summary>
internal sealed class FileTranslator(TranslationModel model, SearchOptions search, int batchSize, TranslationWriter writer)
{
    /// <summary>Lines read and translated together; large enough to sort into well-filled batches.</summary>
    public int ChunkLines { get; init; } = 2048;

    /// <summary>Translate only this part of the input (null = all of it).</summary>
    public Shard? Shard { get; init; }

    /// <summary>A file with one target prefix per input line (empty: none) that each translation must start with; null = none.</summary>
    public string? PrefixFile { get; init; }

    /// <summary>Translates <paramref name="inputPath"/> ("-" = stdin) into <paramref name="outputPath"/> ("-" = stdout).</summary>
    public FileTranslationReport Run(string inputPath, string outputPath, CancellationToken cancellation)
    {
        var lines = SelectShard(inputPath);
        if (outputPath == "-")
        {
            using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
            return Translate(lines, stdout, cancellation);
        }
        string directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        if (!Directory.Exists(directory)) throw InputException.In(outputPath, "the output folder does not exist");
        FileTranslationReport? report = null;
        AtomicFile.Write(outputPath, stream =>
        {
            using var file = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            report = Translate(lines, file, cancellation);
        });
        return report!;
    }

    /// <summary>Translates every line and writes the results to <paramref name="output"/>.</summary>
    public FileTranslationReport Translate(IEnumerable<NumberedLine> lines, TextWriter output, CancellationToken cancellation)
    {
        var report = new FileTranslationReport();
        using var prefixes = PrefixFile is null ? null : TextLines.Read(PrefixFile).GetEnumerator();
        foreach (var chunk in lines.Chunk(ChunkLines))
        {
            cancellation.ThrowIfCancellationRequested();
            foreach (var line in chunk)
                if (line.Problem is not null) report.Unreadable.Add((line.Number, line.Problem));
            var results = model.Translate(chunk.Select(l => l.Text).ToList(), prefixes is null ? null : PrefixesFor(chunk, prefixes), search, batchSize);
            for (int i = 0; i < results.Count; i++)
            {
                if (results[i].Truncated) report.Truncated.Add(chunk[i].Number);
                // Numbered by input line, so the n-best indices of shards match the unsharded file's.
                writer.Write(output, results[i], chunk[i].Number - 1);
            }
            report.Lines += results.Count;
            output.Flush();
        }
        return report;
    }

    /// <summary>The prefix lines that go with <paramref name="chunk"/>'s input lines (matched by line number, so shards line up).</summary>
    private List<string> PrefixesFor(NumberedLine[] chunk, IEnumerator<NumberedLine> prefixes)
    {
        var aligned = new List<string>(chunk.Length);
        foreach (var line in chunk)
        {
            while (true)
            {
                if (!prefixes.MoveNext()) throw InputException.In(PrefixFile!, $"has fewer lines than the input ({line.Number - 1}); give one prefix per input line, empty for none");
                if (prefixes.Current.Number == line.Number) break;
            }
            if (model.PrefixProblem(line.Text, prefixes.Current.Text) is { } problem) throw InputException.At(PrefixFile!, line.Number, problem);
            aligned.Add(prefixes.Current.Text);
        }
        return aligned;
    }

    private IEnumerable<NumberedLine> SelectShard(string inputPath)
    {
        if (Shard is not { } shard) return TextLines.Read(inputPath, lenient: true);
        if (inputPath == "-") throw new InputException("--shard needs --input FILE: standard input cannot be counted and split");
        var (start, end) = shard.Range(TextLines.Count(inputPath));
        return TextLines.Read(inputPath, lenient: true).SkipWhile(l => l.Number <= start).TakeWhile(l => l.Number <= end);
    }
}
