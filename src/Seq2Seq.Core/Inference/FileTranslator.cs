using System.Text;
using Seq2Seq.IO;

namespace Seq2Seq.Inference;

/// <summary>
/// Translates a text file of any size: reads it in chunks, translates each chunk in batches, and writes the
/// results in input order (one output per input line; an empty line gives an empty line). A file output is
/// written to a temporary name and renamed only when complete, so it is never half-written.
/// </summary>
public sealed class FileTranslator(Translator translator, SearchOptions search, int batchSize, TranslationWriter writer)
{
    /// <summary>Lines read and translated together; large enough to sort into well-filled batches.</summary>
    public int ChunkLines { get; init; } = 2048;

    /// <summary>Translates <paramref name="inputPath"/> ("-" = stdin) into <paramref name="outputPath"/> ("-" = stdout).</summary>
    public void Run(string inputPath, string outputPath, CancellationToken cancellation)
    {
        var lines = TextLines.Read(inputPath);
        if (outputPath == "-")
        {
            using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
            Translate(lines, stdout, cancellation);
            return;
        }
        string directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        if (!Directory.Exists(directory)) throw InputException.In(outputPath, "the output folder does not exist");
        AtomicFile.Write(outputPath, stream =>
        {
            using var file = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            Translate(lines, file, cancellation);
        });
    }

    /// <summary>Translates every line and writes the results to <paramref name="output"/>.</summary>
    public void Translate(IEnumerable<NumberedLine> lines, TextWriter output, CancellationToken cancellation)
    {
        long index = 0;
        foreach (var chunk in lines.Chunk(ChunkLines))
        {
            cancellation.ThrowIfCancellationRequested();
            var results = translator.Translate(chunk.Select(l => l.Text).ToList(), search, batchSize);
            foreach (var result in results)
                writer.Write(output, result, index++);
            output.Flush();
        }
    }
}
