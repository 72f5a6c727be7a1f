namespace Seq2Seq.Demo;

/// <summary>Size and seed of the generated demo corpus.</summary>
public sealed record DemoCorpusOptions
{
    public int Seed { get; init; } = 1234;
    public int TrainPairs { get; init; } = 8000;
    public int DevPairs { get; init; } = 300;
    public int TestPairs { get; init; } = 300;
}
