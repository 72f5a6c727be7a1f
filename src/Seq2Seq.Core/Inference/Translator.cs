using System.Text;
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
    /// <paramref name="prefixes"/> (one per sentence, "" for none) every translation starts with its prefix's words,
    /// and with <see cref="SearchOptions.Alternatives"/> each gets that many next words where it becomes free.
    /// </summary>
    /// <exception cref="IO.InputException">A prefix cannot be used (see <see cref="PrefixProblem"/>).</exception>
    public IReadOnlyList<Translation> Translate(IReadOnlyList<string> sentences, SearchOptions options, int batchSize,
        IReadOnlyList<string>? prefixes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (prefixes is not null && prefixes.Count != sentences.Count)
            throw new IO.InputException($"{prefixes.Count} prefixes for {sentences.Count} texts: give one prefix per text (empty for none)");
        for (int i = 0; prefixes is not null && i < prefixes.Count; i++)
            if (PrefixProblem(sentences[i], prefixes[i]) is { } problem) throw new IO.InputException($"prefix {i + 1}: {problem}");
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
                var chunkPrefixes = chunk.Select(i => encodedPrefixes?[i] ?? SearchPrefix.None).ToList();
                // Each alternative's first piece is a prefix of its own, searched beside the translations.
                var searches = chunk.Select((i, j) => (Sentence: i, Prefix: chunkPrefixes[j])).ToList();
                var firstPieces = options.Alternatives > 0
                    ? NextWords.FirstPieces(Model, [.. chunk.Select(i => ids[i])], chunkPrefixes, options.Alternatives, bucket.Key, Device)
                    : null;
                for (int j = 0; firstPieces is not null && j < chunk.Length; j++)
                    searches.AddRange(firstPieces[j].Select(piece => (chunk[j], new SearchPrefix([.. chunkPrefixes[j].Tokens, piece], null))));
                bool constrained = encodedPrefixes is not null || firstPieces is not null;

                using var batch = Batch.Create([.. searches.Select(s => ids[s.Sentence])], null, Device, minimumSourceLength: bucket.Key);
                var found = BeamSearch.Search(Model, batch, options,
                    prefixes: constrained ? [.. searches.Select(s => s.Prefix.Tokens)] : null,
                    nextAllowed: constrained ? [.. searches.Select(s => s.Prefix.NextAllowed)] : null);
                Threads?.Tick();
                int alternative = chunk.Length;
                for (int j = 0; j < chunk.Length; j++)
                {
                    var candidates = found[j].Select(h => new TranslationCandidate(TargetTokenizer.Decode(h.Content), h)).ToList();
                    var alternatives = firstPieces is null ? [] : NextWords.Collect(chunkPrefixes[j].Tokens.Length,
                        found.Skip(alternative).Take(firstPieces[j].Length).Where(f => f.Count > 0).Select(f => f[0]), TargetTokenizer, options.Alternatives);
                    alternative += firstPieces?[j].Length ?? 0;
                    results[chunk[j]] = new Translation(sentences[chunk[j]], ids[chunk[j]], candidates)
                    {
                        Truncated = truncated[chunk[j]],
                        Alternatives = alternatives,
                    };
                }
            }
        }
        for (int i = 0; i < results.Length; i++)
            results[i] ??= new Translation(sentences[i], [], []);
        return results;
    }

    /// <summary>
    /// Why <paramref name="prefix"/> cannot start the translation of <paramref name="source"/>, or null when it can:
    /// the source is empty (there is nothing to translate), or a word of the prefix cannot be spelled with the target
    /// subwords. A prefix longer than the length limit is kept whole (the translation then ends right after it).
    /// </summary>
    public string? PrefixProblem(string source, string prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix)) return null;
        if (SourceTokenizer.Encode(source).Length == 0) return "the text is empty, so there is nothing for the prefix to start";
        var encoded = EncodePrefix(prefix);
        if (!encoded.Tokens.Contains(SpecialTokens.UnknownId)) return null;
        var words = TextNormalizer.Apply(prefix).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => TargetTokenizer.Encode(w).Contains(SpecialTokens.UnknownId)).Distinct();
        var alphabet = Enumerable.Range(0, TargetTokenizer.VocabularySize)
            .SelectMany(id => Inspection.Subwords.Text(TargetTokenizer.Piece(id)).EnumerateRunes()).ToHashSet();
        var uncovered = TextNormalizer.Apply(prefix).EnumerateRunes().Where(r => !Rune.IsWhiteSpace(r) && !alphabet.Contains(r)).Distinct();
        return $"the prefix's word{(words.Count() == 1 ? "" : "s")} {string.Join(", ", words.Select(w => $"'{w}'"))} cannot be spelled with the target subwords"
            + (uncovered.Any() ? $" (no subword holds {string.Join(" ", uncovered.Select(r => $"'{r}'"))})" : "") + "; the model cannot write them";
    }

    /// <summary>
    /// The target tokens of a typed prefix. Words followed by a space are complete and forced as they are
    /// tokenized. A last word without a space after it is being typed: the next token must be a piece whose text
    /// starts with it ("Ein Ma" → "Ein" forced, then "Mann", "Mädchen" … whatever the vocabulary holds as one
    /// piece); when no piece does, the word is forced as if complete.
    /// </summary>
    private SearchPrefix EncodePrefix(string prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix)) return SearchPrefix.None;
        if (char.IsWhiteSpace(prefix[^1])) return new(TargetTokenizer.Encode(prefix), null);
        string normalized = TextNormalizer.Apply(prefix);
        int space = normalized.LastIndexOf(' ');
        string partial = normalized[(space + 1)..];
        var allowed = Enumerable.Range(0, TargetTokenizer.VocabularySize)
            .Where(id => !SpecialTokens.IsControl(id) && id != SpecialTokens.UnknownId
                && Inspection.Subwords.Text(TargetTokenizer.Piece(id)).StartsWith(partial, StringComparison.Ordinal))
            .ToArray();
        if (allowed.Length == 0) return new(TargetTokenizer.Encode(normalized), null);
        return new(space < 0 ? [] : TargetTokenizer.Encode(normalized[..space]), allowed);
    }
}
