namespace Seq2Seq.Inference;

/// <summary>One source sentence and its n-best translations (best first; none for an empty line).</summary>
public sealed record Translation(string Source, int[] SourceIds, IReadOnlyList<TranslationCandidate> Candidates)
{
    /// <summary>The best translation's text, or "" for an empty source.</summary>
    public string Best => Candidates.Count > 0 ? Candidates[0].Text : "";

    /// <summary>True when the source had to be cut to the length limit.</summary>
    public bool Truncated { get; init; }

    /// <summary>With <see cref="SearchOptions.Alternatives"/>: distinct next words, most probable first (else empty).</summary>
    public IReadOnlyList<Alternative> Alternatives { get; init; } = [];
}

/// <summary>A detokenized translation with the search result it came from.</summary>
public sealed record TranslationCandidate(string Text, Hypothesis Hypothesis);
