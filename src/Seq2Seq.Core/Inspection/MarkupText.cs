using System.Text;
using System.Xml;

namespace Seq2Seq.Inspection;

/// <summary>Makes token text safe to put into SVG and HTML.</summary>
internal static class MarkupText
{
    /// <summary>Replaces characters XML 1.0 cannot carry (control characters, lone surrogates) with U+FFFD.</summary>
    internal static string Safe(string text)
    {
        StringBuilder? builder = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            bool ok = XmlConvert.IsXmlChar(c);
            if (!ok) builder ??= new StringBuilder(text, 0, i, text.Length);
            builder?.Append(ok ? c : '\uFFFD');
        }
        return builder?.ToString() ?? text;
    }

    /// <summary>
    /// HTML-escapes text for element content and quoted attribute values. Only the five markup characters are
    /// replaced (the page is UTF-8), so tokens in any script stay readable in the source.
    /// </summary>
    internal static string Html(string text)
    {
        string safe = Safe(text);
        if (safe.AsSpan().IndexOfAny("&<>\"'") < 0) return safe;
        var builder = new StringBuilder(safe.Length + 16);
        foreach (char c in safe)
        {
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                default: builder.Append(c); break;
            }
        }
        return builder.ToString();
    }
}
