namespace Seq2Seq.Benchmarks;

/// <summary>How many repetitions each measure gets: <c>--quick</c> for a run of well under a minute.</summary>
internal sealed record Effort(int SgemmRepeats, int TrainWarmup, int TrainSteps, int DecodeRepeats, int ScalingRepeats, int ContentionSeconds)
{
    public static readonly Effort Quick = new(5, 5, 8, 1, 1, 8);
    public static readonly Effort Full = new(9, 5, 30, 3, 3, 15);
}
