using System.Text;

namespace Seq2Seq.Text;

/// <summary>
/// Splits punctuation from the words it is glued to before BPE, reversibly, with a joiner mark as OpenNMT's
/// tokenizer does: <c>windows.</c> becomes <c>windows ￭.</c> and <c>"Hallo!"</c> becomes <c>"￭ Hallo ￭!"</c>, so
/// the vocabulary learns <c>window</c> + <c>s</c> once instead of spending entries on <c>s.</c>, <c>en,</c> beside
/// them. Punctuation inside a word (<c>z.B</c>, <c>3.5</c>, <c>don't</c>, <c>T-Shirt</c>) stays. <see cref="Join"/>
/// undoes it. A vocabulary learned from split text holds joiner pieces, which is how a tokenizer knows to split.
/// </summary>
internal static class PunctuationSplitter
{
    /// <summary>U+FFED HALFWIDTH BLACK SQUARE, the joiner of OpenNMT's tokenizer.</summary>
    public const char Joiner = '\uFFED';

    /// <summary>Splits normalised text (single spaces); a joiner already in the text is dropped.</summary>
    public static string Split(string normalized)
    {
        var result = new StringBuilder(normalized.Length + 8);
        foreach (string word in normalized.Replace(Joiner.ToString(), "", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (result.Length > 0) result.Append(' ');
            int start = 0, end = word.Length;
            while (start < end && IsPunctuation(word[start])) start++;
            while (end > start && IsPunctuation(word[end - 1])) end--;
            if (start == end)
            {
                result.Append(word);   // all punctuation: a word of its own already
                continue;
            }
            if (start > 0) result.Append(word, 0, start).Append(Joiner).Append(' ');
            result.Append(word, start, end - start);
            if (end < word.Length) result.Append(' ').Append(Joiner).Append(word, end, word.Length - end);
        }
        return result.ToString();
    }

    /// <summary>Glues the split pieces back: <c>windows ￭.</c> → <c>windows.</c>; a stray joiner is dropped.</summary>
    public static string Join(string text) =>
        text.Replace(" " + Joiner, "", StringComparison.Ordinal).Replace(Joiner + " ", "", StringComparison.Ordinal)
            .Replace(Joiner.ToString(), "", StringComparison.Ordinal);

    private static bool IsPunctuation(char c) => char.IsPunctuation(c) || char.IsSymbol(c);
}
