namespace Seq2Seq.Inspection;

/// <summary>
/// Reading BPE pieces in the HuggingFace convention used by the tokenizers: a piece that ends a word
/// carries the suffix <c>&lt;/w&gt;</c> (<c>hou</c> + <c>se&lt;/w&gt;</c> = "house"), and the special
/// tokens (<c>&lt;/s&gt;</c>, <c>&lt;unk&gt;</c>, ...) are words on their own.
/// </summary>
internal static class Subwords
{
    /// <summary>The end-of-word suffix of a word-final piece.</summary>
    public const string EndOfWordSuffix = Seq2Seq.Text.BpeLearner.EndOfWordSuffix;

    /// <summary>The end-of-sentence token: the last source column and usually the last target row.</summary>
    public const string EndOfSentence = Seq2Seq.Text.SpecialTokens.EndOfSentence;

    /// <summary>The suffix <see cref="DisplayLabel"/> gives a word-internal piece (as in subword-nmt).</summary>
    public const string ContinuationMarker = "@@";

    private static readonly HashSet<string> Control = new(StringComparer.Ordinal)
        { Seq2Seq.Text.SpecialTokens.Pad, Seq2Seq.Text.SpecialTokens.BeginOfSentence, EndOfSentence };
    private static readonly HashSet<string> Special = new(Control, StringComparer.Ordinal) { Seq2Seq.Text.SpecialTokens.Unknown };

    /// <summary>True for the vocabulary's reserved symbols, which always stand alone as words.</summary>
    public static bool IsSpecial(string piece) => Special.Contains(piece);

    /// <summary>
    /// True for the symbols that carry no word of the sentence (padding, BOS, EOS); <c>&lt;unk&gt;</c> is
    /// not one of them because it stands for a real, unknown word.
    /// </summary>
    public static bool IsControl(string token) => Control.Contains(token);

    /// <summary>True when the piece ends a word: it carries <see cref="EndOfWordSuffix"/> or is special.</summary>
    public static bool EndsWord(string piece) =>
        IsSpecial(piece) || piece.EndsWith(EndOfWordSuffix, StringComparison.Ordinal);

    /// <summary>
    /// The piece without its end-of-word suffix: <c>se&lt;/w&gt;</c> becomes <c>se</c>, <c>hou</c> stays <c>hou</c>.
    /// </summary>
    public static string Text(string piece) =>
        !IsSpecial(piece) && piece.EndsWith(EndOfWordSuffix, StringComparison.Ordinal)
            ? piece[..^EndOfWordSuffix.Length]
            : piece;

    /// <summary>
    /// A readable label for a piece: word-final pieces lose <c>&lt;/w&gt;</c>, word-internal pieces get a
    /// trailing <see cref="ContinuationMarker"/> (<c>hou</c> → <c>hou@@</c>, <c>se&lt;/w&gt;</c> → <c>se</c>),
    /// special tokens stay as they are.
    /// </summary>
    public static string DisplayLabel(string piece) =>
        EndsWord(piece) ? Text(piece) : piece + ContinuationMarker;

    /// <summary>
    /// The word each piece belongs to: result[i] is the 0-based word index of piece i. A word ends at a
    /// piece that <see cref="EndsWord"/>, before a special token, and at the end of the sequence (a hypothesis
    /// cut off by the length limit can stop inside a word).
    /// </summary>
    public static int[] WordIndexes(IReadOnlyList<string> pieces)
    {
        var word = new int[pieces.Count];
        int current = 0;
        for (int i = 0; i < pieces.Count; i++)
        {
            // A special token never joins the pieces before it, even when they did not end their word.
            if (IsSpecial(pieces[i]) && i > 0 && !EndsWord(pieces[i - 1])) current++;
            word[i] = current;
            if (EndsWord(pieces[i]) && !GluedToNext(pieces, i)) current++;
        }
        return word;
    }

    /// <summary>
    /// True when punctuation split off by <see cref="Seq2Seq.Text.PunctuationSplitter"/> joins piece i to the next:
    /// the next piece starts with the joiner (<c>windows</c> ￭<c>.</c>), or piece i ends with it (<c>(</c>￭ <c>Hallo</c>).
    /// </summary>
    private static bool GluedToNext(IReadOnlyList<string> pieces, int i) =>
        i + 1 < pieces.Count && !IsSpecial(pieces[i]) && !IsSpecial(pieces[i + 1])
        && (Text(pieces[i]).EndsWith(Seq2Seq.Text.PunctuationSplitter.Joiner) || pieces[i + 1].StartsWith(Seq2Seq.Text.PunctuationSplitter.Joiner));

    /// <summary>The whole words of a piece sequence (suffixes removed, pieces joined, split punctuation glued back), in order.</summary>
    public static IReadOnlyList<string> Words(IReadOnlyList<string> pieces)
    {
        int[] index = WordIndexes(pieces);
        var words = new List<string>();
        for (int i = 0; i < pieces.Count; i++)
        {
            if (index[i] == words.Count) words.Add(Text(pieces[i]));
            else words[^1] += Text(pieces[i]);
        }
        return [.. words.Select(w => w.Replace(Seq2Seq.Text.PunctuationSplitter.Joiner.ToString(), "", StringComparison.Ordinal))];
    }
}
