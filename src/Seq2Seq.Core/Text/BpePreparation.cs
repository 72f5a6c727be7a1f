namespace Seq2Seq.Text;

/// <summary>
/// Learns the source and target BPE models of a language pair and writes them as
/// <c>source.vocab.json</c>, <c>source.merges.txt</c>, <c>target.vocab.json</c>, <c>target.merges.txt</c>.
/// </summary>
internal static class BpePreparation
{
    public const string SourcePrefix = "source.";
    public const string TargetPrefix = "target.";

    /// <summary>
    /// Learns from normalised text; with <paramref name="joint"/> both sides share one model; with
    /// <paramref name="splitPunctuation"/> the text is split by <see cref="PunctuationSplitter"/> first.
    /// </summary>
    public static (BpeModel Source, BpeModel Target) Learn(IReadOnlyList<string> sourceLines, IReadOnlyList<string> targetLines,
        bool joint, int vocabSize, int minFrequency, string directory, bool splitPunctuation = false)
    {
        if (splitPunctuation)
        {
            sourceLines = [.. sourceLines.Select(PunctuationSplitter.Split)];
            targetLines = [.. targetLines.Select(PunctuationSplitter.Split)];
        }
        BpeModel source, target;
        if (joint)
            source = target = BpeLearner.Learn(sourceLines.Concat(targetLines), vocabSize, minFrequency);
        else
        {
            source = BpeLearner.Learn(sourceLines, vocabSize, minFrequency);
            target = BpeLearner.Learn(targetLines, vocabSize, minFrequency);
        }
        source.Save(directory, SourcePrefix);
        target.Save(directory, TargetPrefix);
        return (source, target);
    }

    /// <summary>True when <paramref name="directory"/> holds both tokenizers.</summary>
    public static bool Exists(string directory) =>
        new[] { SourcePrefix, TargetPrefix }.All(prefix =>
            File.Exists(Path.Combine(directory, prefix + BpeModel.VocabularyFileName)) &&
            File.Exists(Path.Combine(directory, prefix + BpeModel.MergesFileName)));

    /// <summary>Copies both tokenizers from one folder to another.</summary>
    public static void Copy(string from, string to)
    {
        if (!Exists(from))
            throw new IO.InputException($"{from}: not a tokenizer folder (expected {SourcePrefix}{BpeModel.VocabularyFileName}, {SourcePrefix}{BpeModel.MergesFileName}, {TargetPrefix}{BpeModel.VocabularyFileName}, {TargetPrefix}{BpeModel.MergesFileName})");
        Directory.CreateDirectory(to);
        foreach (string prefix in new[] { SourcePrefix, TargetPrefix })
            foreach (string file in new[] { BpeModel.VocabularyFileName, BpeModel.MergesFileName })
                IO.AtomicFile.WriteAllBytes(Path.Combine(to, prefix + file), File.ReadAllBytes(Path.Combine(from, prefix + file)));
    }
}
