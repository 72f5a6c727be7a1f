using Seq2Seq.Training;
using Seq2Seq.Tests.Support;
using SkiaSharp;

namespace Seq2Seq.Tests.Training;

public class ValidationPlotTests
{
    [Fact]
    public void Draws_the_curves_into_a_png_of_the_requested_size_atomically()
    {
        using var dir = new TempDirectory();
        var history = Enumerable.Range(1, 6)
            .Select(e => new ValidationResult(e * 100, e, 5.0 / e, 4.0 / e, Math.Exp(4.0 / e), 10 * e, 20 + 5 * e, 1e-3, 1))
            .ToList();
        string path = dir.File("curve.png");
        ValidationPlot.Save(history, path, width: 640, height: 360);
        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal((640, 360), (bitmap.Width, bitmap.Height));
        // Four coloured series on a white background: far more than one colour in use.
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 3)
            for (int x = 0; x < bitmap.Width; x += 3) colours.Add(bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 20, $"{colours.Count} colours");
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp*"));
    }
}
