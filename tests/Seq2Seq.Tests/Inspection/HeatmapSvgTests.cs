using Seq2Seq.Tests.Support;
using System.Globalization;
using System.Xml.Linq;
using Seq2Seq.Inspection;

namespace Seq2Seq.Tests.Inspection;

public class HeatmapSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument SaveAndLoad(AttentionMatrix matrix)
    {
        using var folder = new TempDirectory();
        string path = folder.File("attention.svg");
        AttentionPlot.Save(matrix, path);
        return XDocument.Load(path);
    }

    private static List<XElement> Elements(XDocument svg, string name, string cssClass) =>
        [.. svg.Descendants(Svg + name).Where(e => (string?)e.Attribute("class") == cssClass)];

    [Fact]
    public void Has_one_rect_per_cell_and_one_label_per_token()
    {
        var matrix = SampleMatrices.OnePeak(rows: 3, cols: 4, strongT: 1, strongS: 2);
        var svg = SaveAndLoad(matrix);

        Assert.Equal("svg", svg.Root!.Name.LocalName);
        var cells = Elements(svg, "rect", "cell");
        Assert.Equal(3 * 4, cells.Count);
        Assert.Equal(12, cells.Select(c => ((int)c.Attribute("data-t")!, (int)c.Attribute("data-s")!)).Distinct().Count());
        Assert.Equal(["s0", "s1", "s2", "</s>"], Elements(svg, "text", "src").Select(e => e.Value));
        Assert.Equal(["t0", "t1", "t2"], Elements(svg, "text", "tgt").Select(e => e.Value));
    }

    [Fact]
    public void The_strongest_cell_has_the_darkest_fill()
    {
        var matrix = SampleMatrices.OnePeak(rows: 3, cols: 4, strongT: 1, strongS: 2);
        var cells = Elements(SaveAndLoad(matrix), "rect", "cell");

        var darkest = cells.MinBy(c => Luminance((string)c.Attribute("fill")!))!;
        Assert.Equal(1, (int)darkest.Attribute("data-t")!);
        Assert.Equal(2, (int)darkest.Attribute("data-s")!);
        Assert.Equal(0.94, (double)darkest.Attribute("data-w")!, 4);
        var lightest = cells.MaxBy(c => Luminance((string)c.Attribute("fill")!))!;
        Assert.Equal(0.0, (double)lightest.Attribute("data-w")!);
    }

    [Fact]
    public void Escapes_tokens_and_has_a_legend()
    {
        var matrix = new AttentionMatrix(["<b>&\"x</w>", "</s>"], ["a'b</w>"], new float[,] { { 0.6f, 0.4f } });
        using var folder = new TempDirectory();
        string path = folder.File("escape.svg");
        AttentionPlot.Save(matrix, path);

        string text = File.ReadAllText(path);
        Assert.DoesNotContain("<b>", text);
        Assert.Contains("&lt;/s&gt;", text);
        var svg = XDocument.Parse(text);
        Assert.Equal(["<b>&\"x", "</s>"], Elements(svg, "text", "src").Select(e => e.Value));
        Assert.Equal(["a'b"], Elements(svg, "text", "tgt").Select(e => e.Value));
        Assert.Single(Elements(svg, "rect", "legend-bar"));
        Assert.Equal(ColorScale.Stops.Count, svg.Descendants(Svg + "stop").Count());
    }

    [Fact]
    public void Numbers_are_culture_invariant()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var svg = HeatmapSvg.Render(SampleMatrices.RedHouse());
            string text = svg.ToString();
            Assert.Contains("data-w=\"0.7\"", text);
            Assert.DoesNotContain("0,7", text);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    private static double Luminance(string hex)
    {
        byte r = Convert.ToByte(hex[1..3], 16), g = Convert.ToByte(hex[3..5], 16), b = Convert.ToByte(hex[5..7], 16);
        return ColorScale.Luminance((r, g, b));
    }
}
