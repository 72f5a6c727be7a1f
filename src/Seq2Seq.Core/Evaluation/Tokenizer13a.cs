using System.Text.RegularExpressions;

namespace Seq2Seq.Evaluation;

/// <summary>
/// sacreBLEU's default <c>13a</c> tokenizer (mteval-v13a.pl as ported in sacrebleu/tokenizers/tokenizer_13a.py
/// and tokenizer_re.py), so that BLEU computed here is comparable with published sacreBLEU scores.
/// It only splits ASCII punctuation: Unicode quotes, dashes and ellipses stay attached to words.
/// </summary>
internal static partial class Tokenizer13a
{
    /// <summary>Tokenizes one segment; tokens are separated by single spaces, with none at either end.</summary>
    public static string Tokenize(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line = line.Replace("<skipped>", "", StringComparison.Ordinal)
            .Replace("-\n", "", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal);

        // One entity after another, as the original does, so "&amp;lt;" ends up as "<".
        if (line.Contains('&', StringComparison.Ordinal))
        {
            line = line.Replace("&quot;", "\"", StringComparison.Ordinal)
                .Replace("&amp;", "&", StringComparison.Ordinal)
                .Replace("&lt;", "<", StringComparison.Ordinal)
                .Replace("&gt;", ">", StringComparison.Ordinal);
        }

        // The padding lets a leading or trailing period or comma see a non-digit neighbour.
        line = $" {line} ";
        line = Symbol().Replace(line, " $1 ");
        line = PeriodOrCommaAfterNonDigit().Replace(line, "$1 $2 ");
        line = PeriodOrCommaBeforeNonDigit().Replace(line, " $1 $2");
        line = DashAfterDigit().Replace(line, "$1 $2 ");
        return string.Join(' ', PythonWhitespace.Split(line));
    }

    // Verbatim from tokenizer_re.py: ASCII symbols and punctuation except ' , - . and digits.
    // .NET reads these backslash escapes of non-word characters as literals, exactly as Python's re does.
    [GeneratedRegex(@"([\{-\~\[-\` -\&\(-\+\:-\@\/])")]
    private static partial Regex Symbol();

    [GeneratedRegex(@"([^0-9])([\.,])")]
    private static partial Regex PeriodOrCommaAfterNonDigit();

    [GeneratedRegex(@"([\.,])([^0-9])")]
    private static partial Regex PeriodOrCommaBeforeNonDigit();

    [GeneratedRegex(@"([0-9])(-)")]
    private static partial Regex DashAfterDigit();
}
