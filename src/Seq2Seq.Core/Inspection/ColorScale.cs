using System.Globalization;

namespace Seq2Seq.Inspection;

/// <summary>
/// The one colour map of every attention heatmap (PNG, SVG and HTML): ColorBrewer's sequential "Blues",
/// from near-white at weight 0 to dark blue at weight 1. Every channel falls monotonically along the
/// scale, so a larger weight is always a darker colour. Weights outside [0, 1] are clamped.
/// </summary>
internal static class ColorScale
{
    // ColorBrewer Blues, 9 classes (Cynthia Brewer, colorbrewer2.org), light to dark.
    private static readonly (byte R, byte G, byte B)[] Anchors =
    [
        (0xf7, 0xfb, 0xff), (0xde, 0xeb, 0xf7), (0xc6, 0xdb, 0xef), (0x9e, 0xca, 0xe1), (0x6b, 0xae, 0xd6),
        (0x42, 0x92, 0xc6), (0x21, 0x71, 0xb5), (0x08, 0x51, 0x9c), (0x08, 0x30, 0x6b),
    ];

    /// <summary>The anchor colours as <c>#rrggbb</c>, evenly spaced from weight 0 to weight 1 (for CSS/SVG gradients).</summary>
    public static IReadOnlyList<string> Stops { get; } = [.. Anchors.Select(a => ToHex(a))];

    /// <summary>The colour of <paramref name="weight"/>, interpolated linearly between the anchors.</summary>
    public static (byte R, byte G, byte B) Rgb(double weight)
    {
        double w = double.IsNaN(weight) ? 0 : Math.Clamp(weight, 0, 1);
        double position = w * (Anchors.Length - 1);
        int low = Math.Min((int)position, Anchors.Length - 2);
        double f = position - low;
        var (a, b) = (Anchors[low], Anchors[low + 1]);
        return (Mix(a.R, b.R, f), Mix(a.G, b.G, f), Mix(a.B, b.B, f));
    }

    /// <summary>The colour of <paramref name="weight"/> as <c>#rrggbb</c> (lower case).</summary>
    public static string Hex(double weight) => ToHex(Rgb(weight));

    /// <summary>WCAG relative luminance (0 = black, 1 = white) of the colour of <paramref name="weight"/>.</summary>
    public static double Luminance(double weight) => Luminance(Rgb(weight));

    /// <summary>WCAG relative luminance of an sRGB colour.</summary>
    public static double Luminance((byte R, byte G, byte B) rgb) =>
        0.2126 * Linear(rgb.R) + 0.7152 * Linear(rgb.G) + 0.0722 * Linear(rgb.B);

    /// <summary>
    /// True when white text reads better than black on the colour of <paramref name="weight"/>
    /// (higher WCAG contrast).
    /// </summary>
    public static bool PrefersLightText(double weight) =>
        // Contrast with white (1.05 / (L + 0.05)) beats contrast with black ((L + 0.05) / 0.05) below L ≈ 0.179.
        Luminance(weight) < 0.179;

    private static byte Mix(byte a, byte b, double f) => (byte)Math.Round(a + (b - a) * f);

    private static double Linear(byte channel)
    {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    private static string ToHex((byte R, byte G, byte B) c) =>
        string.Create(CultureInfo.InvariantCulture, $"#{c.R:x2}{c.G:x2}{c.B:x2}");
}
