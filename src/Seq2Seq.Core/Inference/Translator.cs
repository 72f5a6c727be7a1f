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

    /// <summary>Adapts libtorch's thread count between decoder steps; null leaves it as it is.</summary>
    public Runtime.ThreadGovernor? Threads { get; init; }

    /// <summary>
    /// Source positions (with EOS) rounded up to a multiple of 16. CPU softmax and products over the source
    /// round differently below and above 16 positions, so a sentence must always see the same padded length.
    /// </summary>
    internal static int PaddedLength(int tokens) => (tokens + 1 + 15) / 16 * 16;

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
        var texts = sentences.Select((sentence, i) => Prepare(sentence, prefixes?[i])).ToArray();
        var firstPieces = FirstPieces(texts, options, batchSize);
        var results = new Translation[sentences.Count];
        foreach (var chunk in Chunks(texts, batchSize))
        {
            // Each alternative's first piece is a prefix of its own, searched beside the translations.
            var searches = chunk.Select(i => (Sentence: i, Prefix: texts[i].Prefix)).ToList();
            foreach (int i in chunk)
                searches.AddRange((firstPieces?[i] ?? []).Select(piece => (i, texts[i].Prefix.Then(piece))));
            using var batch = Batch.Create([.. searches.Select(s => texts[s.Sentence].Ids)], null, Device, minimumSourceLength: texts[chunk[0]].PaddedLength);
            var found = BeamSearch.Search(Model, batch, options,
                prefixes: [.. searches.Select(s => s.Prefix.Tokens)], nextAllowed: [.. searches.Select(s => s.Prefix.NextAllowed)], threads: Threads);
            int alternative = chunk.Length;
            foreach (var (i, j) in chunk.Select((i, j) => (i, j)))
            {
                int pieces = firstPieces?[i].Length ?? 0;
                results[i] = Finish(texts[i], found[j], firstPieces is null ? null : found.Skip(alternative).Take(pieces), options.Alternatives);
                alternative += pieces;
            }
        }
        for (int i = 0; i < results.Length; i++)
            results[i] ??= Finish(texts[i], []);
        return results;
    }

    /// <summary>
    /// The batches of <see cref="Translate"/>, as indices into <paramref name="texts"/>: non-empty texts sorted by
    /// length (equal lengths in input order), each batch within one length bucket, so that every sentence is padded
    /// to its own bucket and a translation never depends on the batch size or on the other sentences in the file.
    /// </summary>
    private static IEnumerable<int[]> Chunks(IReadOnlyList<SourceText> texts, int batchSize) =>
        Enumerable.Range(0, texts.Count).Where(i => texts[i].Ids.Length > 0).OrderBy(i => texts[i].Ids.Length)
            .GroupBy(i => texts[i].PaddedLength).SelectMany(bucket => bucket.Chunk(batchSize));

    /// <summary>Tokenizes a text (cut to <see cref="MaxSourceTokens"/>) and its prefix (null or "" for none).</summary>
    internal SourceText Prepare(string text, string? prefix)
    {
        var all = SourceTokenizer.Encode(text);
        bool truncated = all.Length > MaxSourceTokens;
        return new SourceText(text, truncated ? all[..MaxSourceTokens] : all, truncated, EncodePrefix(prefix ?? ""));
    }

    /// <summary>
    /// With <see cref="SearchOptions.Alternatives"/>, per text the first pieces whose completions are searched beside
    /// its translation (see <see cref="NextWords"/>; none for an empty text), computed in the batches of
    /// <see cref="Translate"/>; null without alternatives.
    /// </summary>
    internal int[][]? FirstPieces(IReadOnlyList<SourceText> texts, SearchOptions options, int batchSize)
    {
        if (options.Alternatives == 0) return null;
        var pieces = texts.Select(_ => Array.Empty<int>()).ToArray();
        foreach (var chunk in Chunks(texts, batchSize))
        {
            var found = NextWords.FirstPieces(Model, [.. chunk.Select(i => texts[i].Ids)], [.. chunk.Select(i => texts[i].Prefix)],
                options.Alternatives, texts[chunk[0]].PaddedLength, Device);
            for (int j = 0; j < chunk.Length; j++) pieces[chunk[j]] = found[j];
        }
        return pieces;
    }

    /// <summary>
    /// The translation of <paramref name="text"/> from the hypotheses search found for it (none for an empty text)
    /// and, with alternatives, the hypotheses of the searches that began with each first piece.
    /// </summary>
    internal Translation Finish(SourceText text, IReadOnlyList<Hypothesis> found, IEnumerable<IReadOnlyList<Hypothesis>>? completions = null,
        int alternatives = 0) =>
        new(text.Text, text.Ids, [.. found.Select(h => new TranslationCandidate(TargetTokenizer.Decode(h.Content), h))])
        {
            Truncated = text.Truncated,
            Alternatives = completions is null ? []
                : NextWords.Collect(text.Prefix.Tokens.Length, completions.Where(c => c.Count > 0).Select(c => c[0]), TargetTokenizer, alternatives),
        };

    /// <summary>The text of each target piece without its end-of-word mark, by id: what a word being typed is matched against.</summary>
    private string[] PieceTexts => _pieceTexts ??=
        [.. Enumerable.Range(0, TargetTokenizer.VocabularySize).Select(id => Inspection.Subwords.Text(TargetTokenizer.Piece(id)))];

    private string[]? _pieceTexts;

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
        var alphabet = PieceTexts.SelectMany(text => text.EnumerateRunes()).ToHashSet();
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
        var allowed = Enumerable.Range(0, PieceTexts.Length)
            .Where(id => !SpecialTokens.IsControl(id) && id != SpecialTokens.UnknownId
                && PieceTexts[id].StartsWith(partial, StringComparison.Ordinal))
            .ToArray();
        if (allowed.Length == 0) return new(TargetTokenizer.Encode(normalized), null);
        return new(space < 0 ? [] : TargetTokenizer.Encode(normalized[..space]), allowed);
    }
}
