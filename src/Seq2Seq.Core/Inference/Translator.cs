using Seq2Seq.Data;
using Seq2Seq.Model;
using Seq2Seq.Text;
using static TorchSharp.torch;

namespace Seq2Seq.Inference;

/// <summary>
/// Translates lists of sentences: tokenizes, sorts by length so batches carry little padding, runs
/// <see cref="BeamSearch"/>, detokenizes, and returns results in input order. Empty lines translate to
/// empty lines without touching the model.
/// </summary>
internal sealed class Translator(Ensemble model, SubwordTokenizer source, SubwordTokenizer target, Device device)
{
    public SubwordTokenizer SourceTokenizer { get; } = source;
    public SubwordTokenizer TargetTokenizer { get; } = target;
    public Ensemble Model { get; } = model;
    public Device Device { get; } = device;

    /// <summary>Source subwords beyond this are cut off (the translation then covers the kept part only).</summary>
    public int MaxSourceTokens { get; init; } = DefaultMaxSourceTokens;

    public const int DefaultMaxSourceTokens = 250;

    /// <summary>Adapts libtorch's thread count between batches; null leaves it as it is.</summary>
    public Runtime.ThreadGovernor? Threads { get; init; }

    /// <summary>
    /// Source positions (with EOS) rounded up to a multiple of 16. CPU softmax and products over the source
    /// round differently below and above 16 positions, so a sentence must always see the same padded length.
    /// </summary>
    internal static int PaddedLength(int tokens) => (tokens + 1 + 15) / 16 * 16;

    /// <summary>
    /// Translates <paramref name="sentences"/> in batches of at most <paramref name="batchSize"/> sentences; with
    /// <paramref name="prefixes"/> (one per sentence, "" for none) every translation starts with its prefix's words.
    /// </summary>
    public IReadOnlyList<Translation> Translate(IReadOnlyList<string> sentences, SearchOptions options, int batchSize,
        IReadOnlyList<string>? prefixes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (prefixes is not null && prefixes.Count != sentences.Count)
            throw new IO.InputException($"{prefixes.Count} prefixes for {sentences.Count} texts: give one prefix per text (empty for none)");
        var texts = sentences.Select((sentence, i) => Prepare(sentence, prefixes?[i])).ToArray();
        var results = new Translation[sentences.Count];
        // Equal lengths are kept in input order, and each sentence is padded to its own length bucket, so a
        // translation never depends on the batch size or on the other sentences in the file.
        var order = Enumerable.Range(0, sentences.Count).Where(i => texts[i].Ids.Length > 0).OrderBy(i => texts[i].Ids.Length);
        foreach (var bucket in order.GroupBy(i => texts[i].PaddedLength))
        {
            foreach (var chunk in bucket.Chunk(batchSize))
            {
                using var batch = Batch.Create(chunk.Select(i => texts[i].Ids).ToList(), null, Device, minimumSourceLength: bucket.Key);
                var found = BeamSearch.Search(Model, batch, options,
                    prefixes: [.. chunk.Select(i => texts[i].Prefix)], nextAllowed: [.. chunk.Select(i => texts[i].NextAllowed)]);
                Threads?.Tick();
                for (int j = 0; j < chunk.Length; j++) results[chunk[j]] = Finish(texts[chunk[j]], found[j]);
            }
        }
        for (int i = 0; i < results.Length; i++)
            results[i] ??= Finish(texts[i], []);
        return results;
    }

    /// <summary>Tokenizes a text (cut to <see cref="MaxSourceTokens"/>) and its prefix (null or "" for none).</summary>
    internal SourceText Prepare(string text, string? prefix)
    {
        var all = SourceTokenizer.Encode(text);
        bool truncated = all.Length > MaxSourceTokens;
        var (tokens, nextAllowed) = EncodePrefix(prefix ?? "");
        return new SourceText(text, truncated ? all[..MaxSourceTokens] : all, truncated, tokens, nextAllowed);
    }

    /// <summary>The translation of <paramref name="text"/> from the hypotheses search found for it (none for an empty text).</summary>
    internal Translation Finish(SourceText text, IReadOnlyList<Hypothesis> found) =>
        new(text.Text, text.Ids, [.. found.Select(h => new TranslationCandidate(TargetTokenizer.Decode(h.Content), h))]) { Truncated = text.Truncated };

    /// <summary>
    /// The target tokens of a typed prefix. Words followed by a space are complete and forced as they are
    /// tokenized. A last word without a space after it is being typed: the next token must be a piece whose text
    /// starts with it ("Ein Ma" → "Ein" forced, then "Mann", "Mädchen" … whatever the vocabulary holds as one
    /// piece); when no piece does, the word is forced as if complete.
    /// </summary>
    private (int[] Tokens, int[]? NextAllowed) EncodePrefix(string prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix)) return ([], null);
        if (char.IsWhiteSpace(prefix[^1])) return (TargetTokenizer.Encode(prefix), null);
        string normalized = TextNormalizer.Apply(prefix);
        int space = normalized.LastIndexOf(' ');
        string partial = normalized[(space + 1)..];
        var allowed = Enumerable.Range(0, TargetTokenizer.VocabularySize)
            .Where(id => !SpecialTokens.IsControl(id) && id != SpecialTokens.UnknownId
                && Inspection.Subwords.Text(TargetTokenizer.Piece(id)).StartsWith(partial, StringComparison.Ordinal))
            .ToArray();
        if (allowed.Length == 0) return (TargetTokenizer.Encode(normalized), null);
        return (space < 0 ? [] : TargetTokenizer.Encode(normalized[..space]), allowed);
    }
}
