using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Seq2Seq.Inspection;

/// <summary>
/// Draws an attention matrix as a standalone SVG: one <c>&lt;rect class="cell"&gt;</c> per weight (with
/// <c>data-t</c>, <c>data-s</c> and <c>data-w</c>, and a tooltip), a <c>&lt;text class="tgt"&gt;</c> label per
/// target token down the left, a rotated <c>&lt;text class="src"&gt;</c> label per source token along the
/// bottom, and a colour legend. Colours come from <see cref="ColorScale"/>.
/// </summary>
internal static class HeatmapSvg
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private const double Cell = 24, FontSize = 12, Margin = 16, Gap = 6, LegendWidth = 14, LegendGap = 20;

    /// <summary>Writes the SVG document to <paramref name="path"/> (atomically).</summary>
    public static void Save(AttentionMatrix matrix, string path)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var document = Render(matrix);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false), OmitXmlDeclaration = false };
        Seq2Seq.IO.AtomicFile.Write(path, stream =>
        {
            using var writer = XmlWriter.Create(stream, settings);
            document.Save(writer);
        });
    }

    /// <summary>The SVG document of <paramref name="matrix"/>.</summary>
    public static XDocument Render(AttentionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var sourceLabels = matrix.SourceLabels;
        var targetLabels = matrix.TargetLabels;
        int rows = targetLabels.Count, cols = sourceLabels.Count;

        double targetLabelWidth = targetLabels.Select(TextWidth).DefaultIfEmpty(0).Max();
        double sourceLabelWidth = sourceLabels.Select(TextWidth).DefaultIfEmpty(0).Max();
        double gridLeft = Margin + targetLabelWidth + Gap, gridTop = Margin;
        double gridWidth = cols * Cell, gridHeight = rows * Cell;
        // The legend is at least 120 px tall so a one-line translation still gets a readable scale.
        double legendHeight = Math.Max(gridHeight, 120);
        double legendLeft = gridLeft + gridWidth + LegendGap;
        double width = legendLeft + LegendWidth + Gap + TextWidth("0.25") + Margin;
        double height = Math.Max(gridTop + gridHeight + Gap + sourceLabelWidth, gridTop + legendHeight + FontSize) + Margin;

        var cells = new XElement(Svg + "g", new XAttribute("class", "cells"));
        for (int t = 0; t < rows; t++)
        {
            for (int s = 0; s < cols; s++)
            {
                float w = matrix.Weights[t, s];
                cells.Add(new XElement(Svg + "rect",
                    new XAttribute("class", "cell"),
                    new XAttribute("x", Num(gridLeft + s * Cell)),
                    new XAttribute("y", Num(gridTop + t * Cell)),
                    new XAttribute("width", Num(Cell)),
                    new XAttribute("height", Num(Cell)),
                    new XAttribute("fill", ColorScale.Hex(w)),
                    new XAttribute("data-t", t),
                    new XAttribute("data-s", s),
                    new XAttribute("data-w", Weight(w)),
                    new XElement(Svg + "title", MarkupText.Safe($"{targetLabels[t]} → {sourceLabels[s]}: {Weight(w)}"))));
            }
        }

        var targets = new XElement(Svg + "g", new XAttribute("class", "target-labels"), new XAttribute("text-anchor", "end"));
        for (int t = 0; t < rows; t++)
        {
            targets.Add(new XElement(Svg + "text",
                new XAttribute("class", "tgt"),
                new XAttribute("data-t", t),
                new XAttribute("x", Num(gridLeft - Gap)),
                new XAttribute("y", Num(gridTop + (t + 0.5) * Cell)),
                new XAttribute("dominant-baseline", "central"),
                MarkupText.Safe(targetLabels[t])));
        }

        // Rotated by -90° around their anchor with text-anchor="end": each label runs down from the grid, read bottom to top.
        var sources = new XElement(Svg + "g", new XAttribute("class", "source-labels"), new XAttribute("text-anchor", "end"));
        for (int s = 0; s < cols; s++)
        {
            double x = gridLeft + (s + 0.5) * Cell, y = gridTop + gridHeight + Gap;
            sources.Add(new XElement(Svg + "text",
                new XAttribute("class", "src"),
                new XAttribute("data-s", s),
                new XAttribute("x", Num(x)),
                new XAttribute("y", Num(y)),
                new XAttribute("dominant-baseline", "central"),
                new XAttribute("transform", $"rotate(-90 {Num(x)} {Num(y)})"),
                MarkupText.Safe(sourceLabels[s])));
        }

        var svg = new XElement(Svg + "svg",
            new XAttribute("width", Num(Math.Ceiling(width))),
            new XAttribute("height", Num(Math.Ceiling(height))),
            new XAttribute("viewBox", $"0 0 {Num(Math.Ceiling(width))} {Num(Math.Ceiling(height))}"),
            new XAttribute("font-family", "'DejaVu Sans', 'Noto Sans', sans-serif"),
            new XAttribute("font-size", Num(FontSize)),
            new XElement(Svg + "title", MarkupText.Safe($"Attention: {string.Join(' ', targetLabels)}")),
            new XElement(Svg + "rect", new XAttribute("class", "background"), new XAttribute("width", "100%"),
                new XAttribute("height", "100%"), new XAttribute("fill", "#ffffff")),
            cells,
            new XElement(Svg + "rect", new XAttribute("class", "grid-frame"),
                new XAttribute("x", Num(gridLeft)), new XAttribute("y", Num(gridTop)),
                new XAttribute("width", Num(gridWidth)), new XAttribute("height", Num(gridHeight)),
                new XAttribute("fill", "none"), new XAttribute("stroke", "#555555"), new XAttribute("stroke-width", "1")),
            targets,
            sources,
            Legend(legendLeft, gridTop, legendHeight));
        return new XDocument(svg);
    }

    private static XElement Legend(double left, double top, double height)
    {
        // SVG gradients run from y1 to y2; weight 1 (darkest) sits at the top, like the colour bar of the PNG.
        var gradient = new XElement(Svg + "linearGradient",
            new XAttribute("id", "attention-scale"),
            new XAttribute("x1", "0"), new XAttribute("y1", "1"), new XAttribute("x2", "0"), new XAttribute("y2", "0"));
        var stops = ColorScale.Stops;
        for (int i = 0; i < stops.Count; i++)
        {
            gradient.Add(new XElement(Svg + "stop",
                new XAttribute("offset", Num((double)i / (stops.Count - 1))),
                new XAttribute("stop-color", stops[i])));
        }
        var legend = new XElement(Svg + "g", new XAttribute("class", "legend"),
            new XElement(Svg + "defs", gradient),
            new XElement(Svg + "rect", new XAttribute("class", "legend-bar"),
                new XAttribute("x", Num(left)), new XAttribute("y", Num(top)),
                new XAttribute("width", Num(LegendWidth)), new XAttribute("height", Num(height)),
                new XAttribute("fill", "url(#attention-scale)"), new XAttribute("stroke", "#555555")));
        foreach (double value in new[] { 0, 0.25, 0.5, 0.75, 1 })
        {
            legend.Add(new XElement(Svg + "text",
                new XAttribute("class", "legend-label"),
                new XAttribute("x", Num(left + LegendWidth + Gap)),
                new XAttribute("y", Num(top + (1 - value) * height)),
                new XAttribute("dominant-baseline", "central"),
                value.ToString("0.##", CultureInfo.InvariantCulture)));
        }
        return legend;
    }

    /// <summary>A rough rendered width: SVG cannot be measured without a font engine, so wide (CJK) characters count 1 em, others 0.65 em.</summary>
    private static double TextWidth(string text)
    {
        double ems = 0;
        foreach (var rune in text.EnumerateRunes()) ems += IsWide(rune.Value) ? 1.0 : 0.65;
        return ems * FontSize;
    }

    private static bool IsWide(int c) =>
        c is >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3
            or >= 0xF900 and <= 0xFAFF or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFF60
            or >= 0xFFE0 and <= 0xFFE6 or >= 0x1F300 and <= 0x1FAFF or >= 0x20000 and <= 0x3FFFD;

    private static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Weight(float value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
