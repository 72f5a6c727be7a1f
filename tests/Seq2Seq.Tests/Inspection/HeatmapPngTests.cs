using Seq2Seq.Tests.Support;
using ScottPlot;
using Seq2Seq.Inspection;
using SkiaSharp;

namespace Seq2Seq.Tests.Inspection;

public class HeatmapPngTests
{
    [Fact]
    public void Strongest_cell_is_drawn_darker_than_the_weakest()
    {
        var matrix = SampleMatrices.OnePeak(rows: 3, cols: 4, strongT: 1, strongS: 2);
        using var folder = new TempDirectory();
        string path = folder.File("attention.png");
        AttentionPlot.Save(matrix, path);

        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        using var plot = HeatmapPng.Build(matrix, out var layout);
        Assert.Equal(layout.Width, bitmap.Width);
        Assert.Equal(layout.Height, bitmap.Height);

        var strong = PixelAt(bitmap, layout.CellCenter(1, 2));
        var weak = PixelAt(bitmap, layout.CellCenter(0, 0));
        Assert.True(Luminance(strong) < Luminance(weak) - 0.3,
            $"strongest cell {strong} should be much darker than the weakest {weak}");
        // The cells use the shared colour scale, so the PNG matches the SVG and HTML.
        AssertClose(ColorScale.Rgb(0.94), strong);
        AssertClose(ColorScale.Rgb(0), weak);

        // Cells in the same row left and right of the peak are light again: the peak is where the layout says.
        Assert.True(Luminance(PixelAt(bitmap, layout.CellCenter(1, 1))) > Luminance(strong) + 0.3);
        Assert.True(Luminance(PixelAt(bitmap, layout.CellCenter(1, 3))) > Luminance(strong) + 0.3);
    }

    [Fact]
    public void Image_is_non_trivial_with_labels_and_colour_bar()
    {
        var matrix = SampleMatrices.RedHouse();
        using var folder = new TempDirectory();
        string path = folder.File("attention.png");
        AttentionPlot.Save(matrix, path);

        using var bitmap = SKBitmap.Decode(path);
        using var plot = HeatmapPng.Build(matrix, out var layout);
        var colours = new HashSet<SKColor>();
        int darkOutsideData = 0;
        float dataRight = layout.DataLeft + layout.CellWidth * matrix.SourceTokens.Count;
        float dataBottom = layout.DataTop + layout.CellHeight * matrix.TargetTokens.Count;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                colours.Add(c);
                bool inData = x >= layout.DataLeft && x < dataRight && y >= layout.DataTop && y < dataBottom;
                if (!inData && Luminance(c) < 0.2) darkOutsideData++;
            }
        }
        Assert.True(colours.Count > 50, $"only {colours.Count} colours: the picture looks empty");
        // Tick labels, axis titles and the dark end of the colour bar are drawn around the data area.
        Assert.True(darkOutsideData > 500, $"only {darkOutsideData} dark pixels outside the heatmap: labels or colour bar missing");
        // The colour bar to the right of the data area shows the dark end of the scale.
        bool darkBar = false;
        for (int x = (int)dataRight + 1; x < bitmap.Width && !darkBar; x++)
            darkBar = Luminance(bitmap.GetPixel(x, (int)layout.DataTop + 3)) < 0.1;
        Assert.True(darkBar, "no colour bar next to the heatmap");
    }

    [Fact]
    public void Long_sentences_get_bigger_pictures_with_readable_cells()
    {
        using var shortPlot = HeatmapPng.Build(SampleMatrices.OnePeak(4, 5, 1, 1), out var small);
        using var longPlot = HeatmapPng.Build(SampleMatrices.OnePeak(60, 70, 1, 1), out var large);
        Assert.True(large.Width > small.Width && large.Height > small.Height);
        Assert.True(large.CellWidth >= 14 && large.CellHeight >= 14, $"cells of {large.CellWidth}×{large.CellHeight} px are too small to label");
    }

    [Fact]
    public void Chooses_a_font_that_covers_the_tokens()
    {
        string font = HeatmapPng.ChooseFont("Привет мир Ελληνικά");
        Assert.Equal(0, Fonts.CountMissingGlyphs(font, Fonts.GetStandaloneCodePoints("Привет мир Ελληνικά")));

        var matrix = new AttentionMatrix(["Привет</w>", "мир</w>", "</s>"], ["hello</w>", "world</w>", "</s>"],
            new float[,] { { 0.9f, 0.05f, 0.05f }, { 0.1f, 0.8f, 0.1f }, { 0, 0.1f, 0.9f } });
        using var plot = HeatmapPng.Build(matrix, out var layout);
        Assert.Equal(0, Fonts.CountMissingGlyphs(layout.FontName, Fonts.GetStandaloneCodePoints("Приветмир")));
    }

    [Fact]
    public void Refuses_a_matrix_without_target_tokens()
    {
        var empty = new AttentionMatrix(["a</w>", "</s>"], [], new float[0, 2]);
        using var folder = new TempDirectory();
        var error = Assert.Throws<ArgumentException>(() => AttentionPlot.Save(empty, folder.File("empty.png")));
        Assert.Contains("no target token", error.Message);
        Assert.False(File.Exists(folder.File("empty.png")));
    }

    private static SKColor PixelAt(SKBitmap bitmap, (float X, float Y) point) => bitmap.GetPixel((int)point.X, (int)point.Y);

    private static double Luminance(SKColor c) => ColorScale.Luminance((c.Red, c.Green, c.Blue));

    private static void AssertClose((byte R, byte G, byte B) expected, SKColor actual)
    {
        Assert.True(Math.Abs(expected.R - actual.Red) <= 3 && Math.Abs(expected.G - actual.Green) <= 3 && Math.Abs(expected.B - actual.Blue) <= 3,
            $"expected about ({expected.R}, {expected.G}, {expected.B}), got {actual}");
    }
}
