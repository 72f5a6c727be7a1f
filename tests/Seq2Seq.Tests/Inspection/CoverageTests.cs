using System.Text.Json;
using Seq2Seq.Inspection;

namespace Seq2Seq.Tests.Inspection;

public class CoverageTests
{
    [Fact]
    public void Coverage_FlagsTheDroppedAndTheRepeatedWord()
    {
        var report = SampleMatrices.BarkingDog().Coverage();

        Assert.Equal(["der", "Hund", "bellt", "laut"], report.SourceWords.Select(w => w.Word));
        Assert.Equal([0.95, 2.85, 0.90, 0.05], report.SourceWords.Select(w => Math.Round(w.Received, 5)));
        Assert.Equal([CoverageStatus.Ok, CoverageStatus.Over, CoverageStatus.Ok, CoverageStatus.Under],
            report.SourceWords.Select(w => w.Status));
        Assert.Equal(["laut"], report.UnderTranslated);
        Assert.Equal(["Hund"], report.OverTranslated);
    }

    [Fact]
    public void Coverage_UsesTheGivenThresholds()
    {
        var report = SampleMatrices.BarkingDog().Coverage(underThreshold: 0.01, overThreshold: 3.0);
        Assert.Empty(report.UnderTranslated);
        Assert.Empty(report.OverTranslated);
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleMatrices.BarkingDog().Coverage(0.5, 0.4));
    }

    [Fact]
    public void Coverage_AddsUpTheColumnsOfSplitSourceWords()
    {
        var pieces = new AttentionMatrix(["Hu", "nd</w>", "</s>"], ["dog</w>", "dog</w>", "dog</w>", "</s>"],
            new float[,] { { 0.45f, 0.45f, 0.1f }, { 0.45f, 0.45f, 0.1f }, { 0.45f, 0.45f, 0.1f }, { 0, 0, 1 } });
        var word = Assert.Single(pieces.Coverage().SourceWords);
        Assert.Equal("Hund", word.Word);
        Assert.Equal(2.7, word.Received, 5);
        Assert.Equal(CoverageStatus.Over, word.Status);
    }

    [Fact]
    public void Entropy_IsLnNForAUniformRowAndZeroForAOneHotRow()
    {
        var matrix = new AttentionMatrix(["a</w>", "b</w>", "c</w>", "d</w>", "</s>"], ["x</w>", "y</w>"],
            new float[,] { { 0.2f, 0.2f, 0.2f, 0.2f, 0.2f }, { 0, 0, 1, 0, 0 } });
        var entropies = matrix.Coverage().TargetTokens;

        Assert.Equal(Math.Log(5), entropies[0].Entropy, 6);
        Assert.Equal(0.0, entropies[1].Entropy, 12);
        Assert.Equal(Math.Log(5) / 2, matrix.Coverage().MeanEntropy, 6);
    }

    [Fact]
    public void Entropy_IsPerRowOfThePieceMatrix()
    {
        var report = SampleMatrices.RedHouse().Coverage();
        Assert.Equal(["a", "red", "hou@@", "se", "</s>"], report.TargetTokens.Select(t => t.Token));
    }

    [Fact]
    public void Report_SerializesWithSystemTextJson()
    {
        var report = SampleMatrices.BarkingDog().Coverage();

        using var plain = JsonDocument.Parse(JsonSerializer.Serialize(report));
        Assert.Equal("Under", plain.RootElement.GetProperty("SourceWords")[3].GetProperty("Status").GetString());
        Assert.Equal("laut", plain.RootElement.GetProperty("UnderTranslated")[0].GetString());

        string json = report.ToJson();
        using var snake = JsonDocument.Parse(json);
        Assert.Equal(0.3, snake.RootElement.GetProperty("under_threshold").GetDouble());
        Assert.Equal(2.85, snake.RootElement.GetProperty("source_words")[1].GetProperty("received").GetDouble(), 5);
        Assert.Equal("Hund", snake.RootElement.GetProperty("over_translated")[0].GetString());
        Assert.Equal(6, snake.RootElement.GetProperty("target_tokens").GetArrayLength());
        Assert.Contains("\"</s>\"", json); // readable, not \u003C/s\u003E
    }
}
