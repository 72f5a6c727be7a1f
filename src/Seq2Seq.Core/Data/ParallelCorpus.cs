using Seq2Seq.IO;

namespace Seq2Seq.Data;

/// <summary>A source sentence, its translation, and where they came from (for messages).</summary>
internal sealed record SentencePair(string Source, string Target, string Origin, long Line);

/// <summary>
/// Where a parallel corpus lives: two aligned text files (plain or gzip) or one tab-separated file whose
/// first two columns are source and target.
/// </summary>
internal sealed record CorpusFiles(string Source, string? Target)
{
    /// <summary>True when the corpus is one tab-separated file.</summary>
    public bool IsTsv => Target is null;

    /// <summary>
    /// Resolves a corpus given as a path prefix and two language codes, the layout used by Multi30k, IWSLT and
    /// WMT: <c>train</c> + <c>en</c>/<c>de</c> means <c>train.en</c> and <c>train.de</c> (or their <c>.gz</c>).
    /// A path ending in <c>.tsv</c> or <c>.tsv.gz</c> is a tab-separated file.
    /// </summary>
    public static CorpusFiles Resolve(string prefix, string sourceLanguage, string targetLanguage)
    {
        if (prefix.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || prefix.EndsWith(".tsv.gz", StringComparison.OrdinalIgnoreCase))
            return new CorpusFiles(RequireFile(prefix), null);
        return new CorpusFiles(Find(prefix, sourceLanguage), Find(prefix, targetLanguage));
    }

    private static string Find(string prefix, string language)
    {
        string plain = $"{prefix}.{language}";
        if (File.Exists(plain)) return plain;
        if (File.Exists(plain + ".gz")) return plain + ".gz";
        throw InputException.In(plain, "file not found (also looked for .gz)");
    }

    private static string RequireFile(string path) =>
        File.Exists(path) ? path : throw InputException.In(path, "file not found");

    public override string ToString() => IsTsv ? Source : $"{Source} + {Target}";
}

/// <summary>Reads parallel corpora, checking alignment and that each line holds a usable pair.</summary>
internal static class ParallelCorpus
{
    /// <summary>Reads every pair; mismatched line counts and malformed lines are errors naming file and line.</summary>
    /// <param name="allowEmpty">When false, a corpus without any pair is an error.</param>
    public static List<SentencePair> Read(CorpusFiles files, bool allowEmpty = false)
    {
        var pairs = files.IsTsv ? ReadTsv(files.Source).ToList() : ReadAligned(files.Source, files.Target!).ToList();
        if (pairs.Count == 0 && !allowEmpty) throw InputException.In(files.ToString(), "the corpus is empty");
        return pairs;
    }

    private static IEnumerable<SentencePair> ReadAligned(string sourcePath, string targetPath)
    {
        using var sources = TextLines.Read(sourcePath).GetEnumerator();
        using var targets = TextLines.Read(targetPath).GetEnumerator();
        long count = 0;
        while (true)
        {
            bool hasSource = sources.MoveNext(), hasTarget = targets.MoveNext();
            if (!hasSource && !hasTarget) yield break;
            if (hasSource != hasTarget)
            {
                long sourceCount = count + (hasSource ? 1 + Remaining(sources) : 0);
                long targetCount = count + (hasTarget ? 1 + Remaining(targets) : 0);
                throw new InputException(
                    $"{sourcePath} has {sourceCount} lines but {targetPath} has {targetCount}; aligned files must have the same number of lines");
            }
            count++;
            yield return new SentencePair(sources.Current.Text, targets.Current.Text, sourcePath, sources.Current.Number);
        }
    }

    private static IEnumerable<SentencePair> ReadTsv(string path)
    {
        foreach (var line in TextLines.Read(path))
        {
            string[] columns = line.Text.Split('\t');
            if (columns.Length < 2)
                throw InputException.At(path, line.Number, "expected source<TAB>target, found no tab");
            yield return new SentencePair(columns[0], columns[1], path, line.Number);
        }
    }

    private static long Remaining(IEnumerator<NumberedLine> lines)
    {
        long count = 0;
        while (lines.MoveNext()) count++;
        return count;
    }
}
