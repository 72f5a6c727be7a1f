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
    private static int PaddedLength(int tokens) => (tokens + 1 + 15) / 16 * 16;

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
        var encodedPrefixes = prefixes?.Select(EncodePrefix).ToArray();
        var ids = new int[sentences.Count][];
        var truncated = new bool[sentences.Count];
        for (int i = 0; i < sentences.Count; i++)
        {
            var all = SourceTokenizer.Encode(sentences[i]);
            truncated[i] = all.Length > MaxSourceTokens;
            ids[i] = truncated[i] ? all[..MaxSourceTokens] : all;
        }
        var results = new Translation[sentences.Count];
        // Equal lengths are kept in input order, and each sentence is padded to its own length bucket, so a
        // translation never depends on the batch size or on the other sentences in the file.
        var order = Enumerable.Range(0, sentences.Count).Where(i => ids[i].Length > 0).OrderBy(i => ids[i].Length);
        foreach (var bucket in order.GroupBy(i => PaddedLength(ids[i].Length)))
        {
            foreach (var chunk in bucket.Chunk(batchSize))
            {
                using var batch = Batch.Create(chunk.Select(i => ids[i]).ToList(), null, Device, minimumSourceLength: bucket.Key);
                var found = BeamSearch.Search(Model, batch, options,
                    prefixes: encodedPrefixes is null ? null : [.. chunk.Select(i => encodedPrefixes[i].Tokens)],
                    nextAllowed: encodedPrefixes is null ? null : [.. chunk.Select(i => encodedPrefixes[i].NextAllowed)]);
                Threads?.Tick();
                for (int j = 0; j < chunk.Length; j++)
                {
                    var candidates = found[j].Select(h => new TranslationCandidate(TargetTokenizer.Decode(h.Content), h)).ToList();
                    results[chunk[j]] = new Translation(sentences[chunk[j]], ids[chunk[j]], candidates) { Truncated = truncated[chunk[j]] };
                }
            }
        }
        for (int i = 0; i < results.Length; i++)
            results[i] ??= new Translation(sentences[i], [], []);
        return results;
    }

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
