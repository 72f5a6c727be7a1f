namespace Seq2Seq.Evaluation;

/// <summary>
/// Python's notion of whitespace, used by sacreBLEU through <c>str.split()</c> and <c>str.rstrip()</c>.
/// It is <see cref="char.IsWhiteSpace(char)"/> plus U+001C–U+001F (the ASCII information separators);
/// every Python whitespace code point lies in the BMP, so checking UTF-16 units is enough.
/// </summary>
internal static class PythonWhitespace
{
    /// <summary>Whether Python's <c>str.isspace()</c> holds for this character.</summary>
    public static bool IsWhiteSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    /// <summary>Python's argument-less <c>str.split()</c>: whitespace runs separate words, no empty words.</summary>
    public static List<string> Split(string text)
    {
        var words = new List<string>();
        int start = -1;
        for (int i = 0; i < text.Length; i++)
        {
            if (!IsWhiteSpace(text[i]))
            {
                if (start < 0) start = i;
            }
            else if (start >= 0)
            {
                words.Add(text[start..i]);
                start = -1;
            }
        }
        if (start >= 0) words.Add(text[start..]);
        return words;
    }

    /// <summary>Python's argument-less <c>str.rstrip()</c>.</summary>
    public static string TrimEnd(string text)
    {
        int end = text.Length;
        while (end > 0 && IsWhiteSpace(text[end - 1])) end--;
        return text[..end];
    }
}
