using Seq2Seq.Inspection;

namespace Seq2Seq.Tests.Inspection;

public class AttentionMatrixTests
{
    [Fact]
    public void ToWords_sums_source_pieces_and_averages_target_pieces()
    {
        var words = SampleMatrices.RedHouse().ToWords();

        Assert.True(words.IsWordLevel);
        Assert.Equal(["ein", "rotes", "Haus", "</s>"], words.SourceTokens);
        Assert.Equal(["a", "red", "house", "</s>"], words.TargetTokens);
        float[,] expected =
        {
            { 0.70f, 0.10f, 0.10f, 0.10f }, // a: ro + tes summed
            { 0.10f, 0.70f, 0.10f, 0.10f }, // red
            { 0.05f, 0.15f, 0.65f, 0.15f }, // house: mean of the hou and se rows
            { 0.00f, 0.00f, 0.20f, 0.80f }, // </s>
        };
        Assert.Equal(expected.GetLength(0), words.Weights.GetLength(0));
        Assert.Equal(expected.GetLength(1), words.Weights.GetLength(1));
        for (int t = 0; t < expected.GetLength(0); t++)
            for (int s = 0; s < expected.GetLength(1); s++)
                Assert.True(Math.Abs(expected[t, s] - words.Weights[t, s]) < 1e-6, $"[{t},{s}] = {words.Weights[t, s]}, expected {expected[t, s]}");
    }

    [Fact]
    public void ToWords_keeps_rows_summing_to_one()
    {
        var words = SampleMatrices.RedHouse().ToWords();
        for (int t = 0; t < words.TargetTokens.Count; t++)
            Assert.Equal(1.0, SampleMatrices.Row(words, t).Sum(), 5);
    }

    [Fact]
    public void ToWords_on_a_word_matrix_returns_it_unchanged()
    {
        var words = SampleMatrices.RedHouse().ToWords();
        Assert.Same(words, words.ToWords());
        Assert.Equal(words.SourceTokens, words.SourceLabels);
    }

    [Fact]
    public void ToWords_ends_a_word_cut_off_before_end_of_sentence_or_the_end()
    {
        // A hypothesis stopped by the length limit can end inside a word ("hou" without "se</w>").
        var matrix = new AttentionMatrix(["x</w>", "</s>"], ["a</w>", "hou", "</s>", "gr"],
            new float[,] { { 1, 0 }, { 0.5f, 0.5f }, { 0, 1 }, { 0.25f, 0.75f } });
        var words = matrix.ToWords();
        Assert.Equal(["a", "hou", "</s>", "gr"], words.TargetTokens);
        Assert.Equal(0.75f, words.Weights[3, 1]);
    }

    [Fact]
    public void DisplayLabels_strip_the_suffix_and_mark_word_internal_pieces()
    {
        var matrix = SampleMatrices.RedHouse();
        Assert.Equal(["ein", "ro@@", "tes", "Haus", "</s>"], matrix.SourceLabels);
        Assert.Equal(["a", "red", "hou@@", "se", "</s>"], matrix.TargetLabels);
        Assert.Equal("<unk>", Subwords.DisplayLabel("<unk>"));
        Assert.Equal("se", Subwords.DisplayLabel("se</w>"));
        Assert.Equal("hou@@", Subwords.DisplayLabel("hou"));
    }

    [Fact]
    public void Words_TreatSpecialTokensAsWordsOfTheirOwn()
    {
        Assert.Equal(["a", "ab", "<unk>", "c", "</s>"], Subwords.Words(["a</w>", "ab", "<unk>", "c</w>", "</s>"]));
        Assert.Equal([0, 1, 2, 3, 4], Subwords.WordIndexes(["a</w>", "ab", "<unk>", "c</w>", "</s>"]));
    }

    [Fact]
    public void Constructor_RejectsWeightsOfTheWrongShape()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new AttentionMatrix(["a</w>", "</s>"], ["x</w>", "y</w>", "</s>"], new float[2, 2]));
        Assert.Contains("2×2", error.Message);
        Assert.Contains("3 target and 2 source tokens", error.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(-0.1f)]
    public void Constructor_RejectsWeightsThatAreNotProbabilities(float bad)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new AttentionMatrix(["a</w>", "</s>"], ["x</w>"], new float[,] { { bad, 1 } }));
        Assert.Contains("[0, 0]", error.Message);
    }

    [Fact]
    public void Constructor_RejectsAnEmptySourceAndNullTokens()
    {
        Assert.Throws<ArgumentException>(() => new AttentionMatrix([], [], new float[0, 0]));
        Assert.Throws<ArgumentException>(() => new AttentionMatrix(["a</w>", null!], ["x</w>"], new float[1, 2]));
    }

    [Fact]
    public void Constructor_CopiesItsInputs()
    {
        var weights = new float[,] { { 0.5f, 0.5f } };
        var source = new List<string> { "a</w>", "</s>" };
        var matrix = new AttentionMatrix(source, ["x</w>"], weights);
        weights[0, 0] = 0.9f;
        source[0] = "b</w>";
        Assert.Equal(0.5f, matrix.Weights[0, 0]);
        Assert.Equal("a</w>", matrix.SourceTokens[0]);
    }
}
