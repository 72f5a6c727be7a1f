using Seq2Seq.Inspection;

namespace Seq2Seq.Tests.Inspection;

public class ColorScaleTests
{
    [Fact]
    public void Larger_weights_are_darker()
    {
        double previous = double.MaxValue;
        for (int i = 0; i <= 100; i++)
        {
            double luminance = ColorScale.Luminance(i / 100.0);
            Assert.True(luminance < previous, $"weight {i / 100.0} is not darker than {(i - 1) / 100.0}");
            previous = luminance;
        }
        Assert.True(ColorScale.Luminance(0) > 0.9, "weight 0 should be nearly white");
        Assert.True(ColorScale.Luminance(1) < 0.05, "weight 1 should be dark");
    }

    [Fact]
    public void Ends_are_the_first_and_last_stops_and_out_of_range_is_clamped()
    {
        Assert.Equal(ColorScale.Stops[0], ColorScale.Hex(0));
        Assert.Equal(ColorScale.Stops[^1], ColorScale.Hex(1));
        Assert.Equal(ColorScale.Hex(1), ColorScale.Hex(7));
        Assert.Equal(ColorScale.Hex(0), ColorScale.Hex(-1));
        Assert.Matches("^#[0-9a-f]{6}$", ColorScale.Hex(0.37));
    }

    [Fact]
    public void Text_on_dark_cells_is_light()
    {
        Assert.False(ColorScale.PrefersLightText(0.05));
        Assert.True(ColorScale.PrefersLightText(0.95));
    }
}
