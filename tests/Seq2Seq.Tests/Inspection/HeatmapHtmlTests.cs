using Seq2Seq.Tests.Support;
using System.Globalization;
using System.Text.RegularExpressions;
using Seq2Seq.Inspection;

namespace Seq2Seq.Tests.Inspection;

public class HeatmapHtmlTests
{
    private static int Count(string html, string pattern) => Regex.Matches(html, pattern).Count;

    private static string SaveAndRead(IReadOnlyList<AttentionMatrix> sentences)
    {
        using var folder = new TempDirectory();
        string path = folder.File("attention.html");
        AttentionPlot.Save(sentences, path);
        return File.ReadAllText(path);
    }

    [Fact]
    public void Holds_every_sentence_in_both_views_with_a_selector()
    {
        var sentences = new[] { SampleMatrices.RedHouse(), SampleMatrices.BarkingDog() };
        string html = SaveAndRead(sentences);

        Assert.StartsWith("<!DOCTYPE html>", html);
        var select = Regex.Match(html, "<select id=\"sentence\">(.*?)</select>", RegexOptions.Singleline);
        Assert.True(select.Success, "no sentence selector");
        Assert.Equal(2, Count(select.Groups[1].Value, "<option "));
        Assert.Contains(">1. ein rotes Haus</option>", select.Groups[1].Value);
        Assert.Equal(2, Count(html, "<section class=\"sentence\""));
        Assert.Equal(2, Count(html, "<div class=\"view\" data-view=\"pieces\""));
        Assert.Equal(2, Count(html, "<div class=\"view\" data-view=\"words\""));
        Assert.Contains("id=\"view-pieces\"", html);
        Assert.Contains("id=\"view-words\"", html);

        // Pieces view: 5×5 and 6×5 cells; words view: 4×4 and 6×5.
        Assert.Equal(25 + 30 + 16 + 30, Count(html, "<td class=\"cell"));
        Assert.Equal(5 + 5 + 4 + 5, Count(html, "<th class=\"src[^\"]*\" data-s="));
        Assert.Equal(5 + 6 + 4 + 6, Count(html, "<th class=\"tgt\" data-t="));
    }

    [Fact]
    public void Shows_pieces_and_words_and_coverage_flags()
    {
        string html = SaveAndRead([SampleMatrices.RedHouse(), SampleMatrices.BarkingDog()]);

        Assert.Contains(">hou@@</th>", html);
        Assert.Contains("<span>ro@@</span>", html);
        Assert.Contains(">house</th>", html);
        Assert.Contains("<span>rotes</span>", html);
        Assert.Contains("&lt;/s&gt;", html);
        // "laut" is under-translated and "Hund" over-translated, in both views.
        Assert.Equal(2, Count(html, "<th class=\"src under\"[^>]*><span>laut</span>"));
        Assert.Equal(2, Count(html, "<th class=\"src over\"[^>]*><span>Hund</span>"));
    }

    [Fact]
    public void Escapes_tokens_and_loads_nothing_from_the_network()
    {
        var matrix = new AttentionMatrix(["<script>alert(1)</script></w>", "&amp;</w>", "</s>"], ["\"q'</w>", "</s>"],
            new float[,] { { 0.5f, 0.3f, 0.2f }, { 0.1f, 0.1f, 0.8f } });
        string html = SaveAndRead([matrix]);

        Assert.Single(Regex.Matches(html, "<script>"));
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("&amp;amp;", html);
        Assert.Contains("&quot;q&#39;", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotMatch("<(script|img|iframe)[^>]* src=", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("@import", html);
    }

    [Fact]
    public void Cells_carry_their_weight_colour_and_tooltip()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            string html = HeatmapHtml.Render([SampleMatrices.RedHouse()]);
            string cssClass = ColorScale.PrefersLightText(0.7) ? "cell dark" : "cell";
            string expected = $"<td class=\"{cssClass}\" data-t=\"0\" data-s=\"0\" data-w=\"0.7\" style=\"background-color: {ColorScale.Hex(0.7)}\" title=\"a → ein: 0.7\">";
            Assert.Contains(expected, html);
            Assert.DoesNotContain("data-w=\"0,", html);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void A_single_sentence_page_has_one_option()
    {
        string html = SaveAndRead([SampleMatrices.RedHouse()]);
        Assert.Equal(1, Count(html, "<option "));
        Assert.Contains("legend", html);
        Assert.Contains(string.Join(", ", ColorScale.Stops), html);
    }
}
