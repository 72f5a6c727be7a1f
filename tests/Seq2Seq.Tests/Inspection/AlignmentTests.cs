using Seq2Seq.Inspection;

namespace Seq2Seq.Tests.Inspection;

public class AlignmentTests
{
    [Fact]
    public void Alignments_TakeTheArgmaxSourceOfEveryRealTargetToken()
    {
        var matrix = SampleMatrices.RedHouse();

        // a→ein, red→ro (0.4 beats tes 0.3), hou→Haus, se→Haus; the </s> row is left out.
        Assert.Equal([(0, 0), (1, 1), (3, 2), (3, 3)], matrix.Alignments());
        Assert.Equal("0-0 1-1 3-2 3-3", matrix.ToPharaoh());
    }

    [Fact]
    public void Alignments_OfTheWordMatrixAlignWords()
    {
        var words = SampleMatrices.RedHouse().ToWords();
        Assert.Equal("0-0 1-1 2-2", words.ToPharaoh());
    }

    [Fact]
    public void Alignments_IgnoreTheEndOfSentenceColumnAndBreakTiesToTheFirstToken()
    {
        var matrix = new AttentionMatrix(
            ["a</w>", "b</w>", "c</w>", "</s>"],
            ["x</w>", "y</w>", "z</w>", "</s>"],
            new float[,]
            {
                { 0.10f, 0.30f, 0.05f, 0.55f }, // most on </s>, but </s> is not a word: b
                { 0.40f, 0.40f, 0.10f, 0.10f }, // tie: the first, a
                { 0.00f, 0.00f, 0.00f, 1.00f }, // nothing on a real word: unaligned
                { 0.00f, 0.00f, 0.90f, 0.10f }, // the </s> row is never aligned
            });

        Assert.Equal([(1, 0), (0, 1)], matrix.Alignments());
        Assert.Equal("1-0 0-1", matrix.ToPharaoh());
    }

    [Fact]
    public void Pharaoh_IsSortedByTargetThenSource()
    {
        var matrix = new AttentionMatrix(
            ["a</w>", "b</w>", "c</w>", "</s>"],
            ["x</w>", "y</w>", "z</w>"],
            new float[,]
            {
                { 0.0f, 0.0f, 0.9f, 0.1f },
                { 0.8f, 0.1f, 0.0f, 0.1f },
                { 0.1f, 0.8f, 0.0f, 0.1f },
            });
        Assert.Equal("2-0 0-1 1-2", matrix.ToPharaoh());
    }

    [Fact]
    public void Pharaoh_IsEmptyWhenNothingIsAligned()
    {
        var matrix = new AttentionMatrix(["a</w>", "</s>"], ["</s>"], new float[,] { { 0.2f, 0.8f } });
        Assert.Empty(matrix.Alignments());
        Assert.Equal("", matrix.ToPharaoh());
    }
}
