using System.Text.Json;
using Microsoft.ML.Tokenizers;
using Seq2Seq.IO;

namespace Seq2Seq.Text;

/// <summary>
/// A BPE tokenizer for one side of a translation pair: Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>
/// over <c>vocab.json</c>/<c>merges.txt</c>, with <see cref="TextNormalizer"/> applied first. Ids are the
/// model's vocabulary ids; the first four are <see cref="SpecialTokens"/>.
/// </summary>
public sealed class SubwordTokenizer
{
    private readonly BpeTokenizer _bpe;
    private readonly string[] _pieces;

    private SubwordTokenizer(BpeTokenizer bpe, string[] pieces)
    {
        _bpe = bpe;
        _pieces = pieces;
        SplitsPunctuation = pieces.Any(p => p.Contains(PunctuationSplitter.Joiner));
    }

    /// <summary>
    /// True when the vocabulary was learned from text whose punctuation <see cref="PunctuationSplitter"/> split off
    /// (it then holds joiner pieces): text is split the same way before encoding and joined after decoding.
    /// </summary>
    public bool SplitsPunctuation { get; }

    /// <summary>Number of entries in the vocabulary, special tokens included.</summary>
    public int VocabularySize => _pieces.Length;

    /// <summary>Loads <c>{prefix}vocab.json</c> and <c>{prefix}merges.txt</c> from <paramref name="directory"/>.</summary>
    internal static SubwordTokenizer Load(string directory, string prefix = "")
    {
        string vocabPath = Path.Combine(directory, prefix + BpeModel.VocabularyFileName);
        string mergesPath = Path.Combine(directory, prefix + BpeModel.MergesFileName);
        var pieces = ReadVocabulary(vocabPath);
        if (!File.Exists(mergesPath)) throw InputException.In(mergesPath, "file not found");
        try
        {
            var bpe = BpeTokenizer.Create(new BpeOptions(vocabPath, mergesPath)
            {
                PreTokenizer = PreTokenizer.CreateWhiteSpace(),
                Normalizer = TextNormalizer.Instance,
                UnknownToken = SpecialTokens.Unknown,
                EndOfWordSuffix = BpeLearner.EndOfWordSuffix,
            });
            return new SubwordTokenizer(bpe, pieces);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or JsonException)
        {
            throw InputException.In(mergesPath, $"is not a BPE merges file that matches {prefix}{BpeModel.VocabularyFileName}: {e.Message}");
        }
    }

    /// <summary>Normalises and splits <paramref name="text"/> into vocabulary ids (no BOS/EOS added).</summary>
    public int[] Encode(string text) =>
        [.. _bpe.EncodeToIds(SplitsPunctuation ? PunctuationSplitter.Split(TextNormalizer.Apply(text)) : text)];

    /// <summary>Turns ids back into normalised text; padding, BOS and EOS are skipped.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        string text = _bpe.Decode(ids.Where(id => !SpecialTokens.IsControl(id)));
        return SplitsPunctuation ? PunctuationSplitter.Join(text) : text;
    }

    /// <summary>The vocabulary entry of <paramref name="id"/> (e.g. <c>Haus&lt;/w&gt;</c>).</summary>
    public string Piece(int id) => id >= 0 && id < _pieces.Length ? _pieces[id] : SpecialTokens.Unknown;

    /// <summary>The pieces of a sequence of ids.</summary>
    public IReadOnlyList<string> Pieces(IEnumerable<int> ids) => ids.Select(Piece).ToList();

    /// <summary>True when the piece ends a word (carries the end-of-word suffix).</summary>
    internal static bool EndsWord(string piece) => piece.EndsWith(BpeLearner.EndOfWordSuffix, StringComparison.Ordinal);

    private static string[] ReadVocabulary(string path)
    {
        Dictionary<string, int>? vocab;
        try
        {
            vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw InputException.In(path, TextLines.Describe(e));
        }
        catch (JsonException e)
        {
            throw InputException.In(path, $"is not a vocabulary (JSON object of piece to id): {e.Message}");
        }
        if (vocab is null || vocab.Count < SpecialTokens.All.Count)
            throw InputException.In(path, "the vocabulary is empty");
        var pieces = new string[vocab.Count];
        foreach (var (piece, id) in vocab)
        {
            if (id < 0 || id >= pieces.Length || pieces[id] is not null)
                throw InputException.In(path, $"ids must be 0..{pieces.Length - 1} without gaps or repeats (\"{piece}\" has {id})");
            pieces[id] = piece;
        }
        for (int id = 0; id < SpecialTokens.All.Count; id++)
            if (pieces[id] != SpecialTokens.All[id])
                throw InputException.In(path, $"id {id} must be {SpecialTokens.All[id]}, found \"{pieces[id]}\"");
        return pieces;
    }
}
