namespace Seq2Seq.Benchmarks;

/// <summary>How many repetitions each measure gets: <c>--quick</c> for a run under three minutes.</summary>
public sealed record Effort(int SgemmRepeats, int TrainWarmup, int TrainSteps, int DecodeRepeats, int ScalingRepeats)
{
    public static readonly Effort Quick = new(5, 5, 8, 1, 1);
    public static readonly Effort Full = new(20, 5, 30, 3, 3);
}
