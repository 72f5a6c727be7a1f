namespace Seq2Seq.Inference;

/// <summary>
/// One sentence in a <see cref="BeamRun"/>: what constrains its search, the step at which it joined the run, and
/// the hypotheses it has finished. Its own step (the length of its hypotheses) is the run's step minus
/// <see cref="JoinedAt"/>, so sentences that join a running search are searched exactly as if they had started it.
/// </summary>
internal sealed class BeamSentence(int sourceLength, int[]? prefix = null, int[]? nextAllowed = null)
{
    /// <summary>Source tokens with EOS, without padding.</summary>
    public int SourceLength { get; } = sourceLength;

    /// <summary>Target tokens every hypothesis must start with (empty: none).</summary>
    public int[] Prefix { get; } = prefix ?? [];

    /// <summary>The tokens the step right after the prefix may choose from (null: any).</summary>
    public int[]? NextAllowed { get; } = nextAllowed;

    /// <summary>True when some step of this sentence is constrained.</summary>
    public bool Constrained => Prefix.Length > 0 || NextAllowed is not null;

    /// <summary>The run's step count when the sentence joined it.</summary>
    public int JoinedAt { get; set; }

    /// <summary>Finished hypotheses, in the order they finished.</summary>
    public List<Hypothesis> Finished { get; } = [];

    /// <summary>The <paramref name="count"/> best finished hypotheses, best first (ties in the order they finished).</summary>
    public List<Hypothesis> Best(int count) => Finished.OrderByDescending(h => h.Score).Take(count).ToList();

    /// <summary>The tokens allowed at this sentence's step <paramref name="step"/>, or null when the step is free.</summary>
    public int[]? Allowed(int step) =>
        step < Prefix.Length ? [Prefix[step]] : step == Prefix.Length ? NextAllowed : null;
}
