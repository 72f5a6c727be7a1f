using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Seq2Seq.Text;

/// <summary>
/// The one normalisation applied to all text before tokenization: Unicode NFC, every run of
/// white space or control characters folded into a single space, no leading or trailing space.
/// Decoding restores exactly this normalised form.
/// </summary>
internal sealed class TextNormalizer : Normalizer
{
    public static readonly TextNormalizer Instance = new();

    /// <inheritdoc />
    public override string Normalize(string original) => Apply(original);

    /// <inheritdoc />
    public override string Normalize(ReadOnlySpan<char> original) => Apply(original.ToString());

    /// <summary>Normalises <paramref name="text"/>.</summary>
    public static string Apply(string text)
    {
        var builder = new StringBuilder(text.Length);
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c) || IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }
            builder.Append(c);
        }
        string folded = builder.ToString();
        return folded.IsNormalized(NormalizationForm.FormC) ? folded : folded.Normalize(NormalizationForm.FormC);
    }

    // Format characters such as ZERO WIDTH JOINER carry meaning in some scripts, so only Cc is folded.
    private static bool IsControl(char c) => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Control;
}
