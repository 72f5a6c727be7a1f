using ScottPlot;

namespace Seq2Seq.Inspection;

/// <summary>
/// Draws an attention matrix as a PNG with ScottPlot: source tokens along the bottom (rotated), target tokens
/// down the left (first token at the top), a colour bar on the right. Cells keep a readable size, so the
/// picture grows with the sentence; the font is chosen to cover the tokens' script where one is installed.
/// </summary>
internal static class HeatmapPng
{
    private const float TickFontSize = 12, AxisFontSize = 14, FigureMargin = 10;
    private const float MaxCell = 26, MinCell = 14, MinDataSide = 160;
    private static readonly string[] PreferredFonts = ["DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Segoe UI", "Helvetica"];

    /// <summary>Writes the PNG to <paramref name="path"/> (atomically).</summary>
    public static void Save(AttentionMatrix matrix, string path) =>
        Seq2Seq.IO.AtomicFile.WriteAllBytes(path, Render(matrix).Png);

    /// <summary>The encoded PNG and its size in pixels.</summary>
    public static (byte[] Png, int Width, int Height) Render(AttentionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        using var plot = Build(matrix, out var layout);
        return (plot.GetImageBytes(layout.Width, layout.Height, ImageFormat.Png), layout.Width, layout.Height);
    }

    /// <summary>
    /// Where things land in the picture (pixels from the top-left corner): the image size and the data
    /// area, whose cell (t, s) spans <c>[DataLeft + s·CellWidth, +CellWidth] × [DataTop + t·CellHeight, +CellHeight]</c>.
    /// </summary>
    internal sealed record PngLayout(int Width, int Height, float DataLeft, float DataTop, float CellWidth, float CellHeight, string FontName)
    {
        internal (float X, float Y) CellCenter(int target, int source) =>
            (DataLeft + (source + 0.5f) * CellWidth, DataTop + (target + 0.5f) * CellHeight);
    }

    /// <summary>The configured plot and its layout; the caller renders it at <c>layout.Width × layout.Height</c>.</summary>
    internal static Plot Build(AttentionMatrix matrix, out PngLayout layout)
    {
        int rows = matrix.TargetTokens.Count, cols = matrix.SourceTokens.Count;
        if (rows == 0) throw new ArgumentException("the translation has no target token, so there is no attention to draw");
        var sourceLabels = matrix.SourceLabels.ToArray();
        var targetLabels = matrix.TargetLabels.ToArray();

        var plot = new Plot();
        try
        {
            var values = new double[rows, cols];
            for (int t = 0; t < rows; t++)
                for (int s = 0; s < cols; s++) values[t, s] = matrix.Weights[t, s];
            var heatmap = plot.Add.Heatmap(values);
            heatmap.Colormap = new AttentionColormap();
            // A fixed 0..1 range keeps colours comparable across sentences and with the SVG/HTML views.
            heatmap.ManualRange = new ScottPlot.Range(0, 1);
            var colorBar = plot.Add.ColorBar(heatmap);
            colorBar.Width = 16;
            colorBar.Axis.TickLabelStyle.FontName = ChooseFont("0.123456789");

            // Default cell alignment centres row t (row 0 at the top) on y = rows-1-t and column s on x = s.
            plot.Axes.SetLimits(-0.5, cols - 0.5, -0.5, rows - 0.5);
            plot.HideGrid();
            plot.Axes.Right.IsVisible = false;
            plot.Axes.Top.IsVisible = false;

            string font = ChooseFont(string.Concat(sourceLabels.Concat(targetLabels)));
            string titleFont = ChooseFont("sourcetarget");

            var bottom = plot.Axes.Bottom;
            bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                [.. Enumerable.Range(0, cols).Select(s => (double)s)], sourceLabels);
            bottom.TickLabelStyle.FontName = font;
            bottom.TickLabelStyle.FontSize = TickFontSize;
            // -90° with the right edge at the tick: labels hang down from the axis and read bottom to top.
            bottom.TickLabelStyle.Rotation = -90;
            bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            bottom.Label.Text = "source";
            bottom.Label.FontSize = AxisFontSize;
            bottom.Label.FontName = titleFont;

            var left = plot.Axes.Left;
            left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                [.. Enumerable.Range(0, rows).Select(t => (double)(rows - 1 - t))], targetLabels);
            left.TickLabelStyle.FontName = font;
            left.TickLabelStyle.FontSize = TickFontSize;
            left.Label.Text = "target";
            left.Label.FontSize = AxisFontSize;
            left.Label.FontName = titleFont;

            using var paint = Paint.NewDisposablePaint();
            float sourceWidth = sourceLabels.Select(l => bottom.TickLabelStyle.Measure(l, paint).Size.Width).DefaultIfEmpty(0).Max();
            float targetWidth = targetLabels.Select(l => left.TickLabelStyle.Measure(l, paint).Size.Width).DefaultIfEmpty(0).Max();
            float bottomTitle = bottom.Label.Measure("source", paint).LineHeight;
            float leftTitle = left.Label.Measure("target", paint).LineHeight;

            // ScottPlot measures rotated tick labels as if they were horizontal, so the panel sizes are set here:
            // tick mark + gap + longest label + gap + axis title + outer padding.
            float bottomSize = bottom.MajorTickStyle.Length + 2 + sourceWidth + 8 + bottomTitle + 2;
            float leftSize = left.MajorTickStyle.Length + 5 + targetWidth + 8 + leftTitle + 2;
            bottom.MinimumSize = bottom.MaximumSize = bottomSize;
            left.MinimumSize = left.MaximumSize = leftSize;

            float cell = Math.Clamp(3200f / Math.Max(rows, cols), MinCell, MaxCell);
            float cellWidth = Math.Max(cell, MinDataSide / cols);
            float cellHeight = Math.Max(cell, MinDataSide / rows);
            float dataWidth = cellWidth * cols, dataHeight = cellHeight * rows;

            float padLeft = (float)Math.Ceiling(leftSize + FigureMargin);
            float padBottom = (float)Math.Ceiling(bottomSize + FigureMargin);
            float padRight = (float)Math.Ceiling(colorBar.Measure(paint) + 2 * FigureMargin);
            float padTop = 2 * FigureMargin;
            plot.Layout.Fixed(new PixelPadding(padLeft, padRight, padBottom, padTop));

            int width = (int)Math.Ceiling(padLeft + dataWidth + padRight);
            int height = (int)Math.Ceiling(padTop + dataHeight + padBottom);
            // The data area absorbs the rounding of the image size, so cells are measured from it.
            layout = new PngLayout(width, height, padLeft, padTop,
                CellWidth: (width - padLeft - padRight) / cols,
                CellHeight: (height - padTop - padBottom) / rows,
                FontName: font);
            return plot;
        }
        catch
        {
            plot.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A font for the labels. ScottPlot uses one font per label style and its default here is a serif, so the
    /// first installed sans font that has a glyph for every character wins; failing that, ScottPlot's
    /// <see cref="Fonts.Detect"/> looks for a font that covers the script (so Cyrillic or CJK tokens do not turn
    /// into boxes when such a font is installed), and then the sans font missing the fewest glyphs.
    /// </summary>
    internal static string ChooseFont(string text)
    {
        var codePoints = Fonts.GetStandaloneCodePoints(text);
        var families = new HashSet<string>(SkiaSharp.SKFontManager.Default.FontFamilies, StringComparer.OrdinalIgnoreCase);
        var installed = PreferredFonts.Where(families.Contains).ToList();
        foreach (string font in installed)
            if (Fonts.CountMissingGlyphs(font, codePoints) == 0) return font;
        string detected = Fonts.Detect(text);
        if (!string.IsNullOrEmpty(detected) && families.Contains(detected)) return detected;
        return installed.OrderBy(f => Fonts.CountMissingGlyphs(f, codePoints)).FirstOrDefault() ?? Fonts.Default;
    }

    /// <summary><see cref="ColorScale"/> as a ScottPlot colour map, so the PNG matches the SVG and HTML views.</summary>
    private sealed class AttentionColormap : IColormap
    {
        public string Name => "Attention (ColorBrewer Blues)";

        public Color GetColor(double position)
        {
            var (r, g, b) = ColorScale.Rgb(position);
            return new Color(r, g, b);
        }
    }
}
