namespace Seq2Seq.Inference;

/// <summary>
/// One sentence in a <see cref="BeamRun"/>: what constrains its search, how many steps it has been searched, and the
/// hypotheses it has finished. It counts its own steps (the length of its hypotheses), so a sentence that joins a
/// running search is searched exactly as if it had started it.
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

    /// <summary>Steps this sentence has been searched: the length of its live hypotheses.</summary>
    public int Steps { get; set; }

    /// <summary>Finished hypotheses, in the order they finished.</summary>
    public List<Hypothesis> Finished { get; } = [];

    /// <summary>The <paramref name="count"/> best finished hypotheses, best first (ties in the order they finished).</summary>
    public List<Hypothesis> Best(int count) => Finished.OrderByDescending(h => h.Score).Take(count).ToList();

    /// <summary>The tokens allowed at this sentence's step <paramref name="step"/>, or null when the step is free.</summary>
    public int[]? Allowed(int step) =>
        step < Prefix.Length ? [Prefix[step]] : step == Prefix.Length ? NextAllowed : null;
}
