namespace Seq2Seq.Serving;

/// <summary>
/// The body of <c>POST /v1/translate</c> (and of the explorer's <c>POST /v1/explore</c>): texts and the options of
/// <c>translate</c>, in snake_case. Unknown fields are refused.
/// </summary>
public sealed class TranslateRequest
{
    /// <summary>Sentences to translate, one translation each, in order.</summary>
    public required IReadOnlyList<string> Texts { get; init; }

    /// <summary>
    /// Optional, aligned with <see cref="Texts"/>: each translation starts with the words of its prefix ("" for
    /// none), as <c>--prefix-file</c>.
    /// </summary>
    public IReadOnlyList<string>? Prefixes { get; init; }

    /// <summary>Next words to offer where each translation becomes free (after its prefix), as <c>--alternatives</c>.</summary>
    public int Alternatives { get; init; }

    /// <summary>Beam size (1 = greedy), as <c>--beam</c>.</summary>
    public int Beam { get; init; } = 5;

    /// <summary>Translations per text, as <c>--n-best</c> (at most the beam).</summary>
    public int NBest { get; init; } = 1;

    /// <summary>GNMT length penalty α, as <c>--length-penalty</c>.</summary>
    public double LengthPenalty { get; init; } = 1.0;

    /// <summary>Add word alignments, as <c>--alignments</c>.</summary>
    public bool Alignments { get; init; }

    /// <summary>Add the subword attention matrix, as <c>--attention</c>.</summary>
    public bool Attention { get; init; }

    /// <summary>Add coverage diagnostics, as <c>--coverage</c>.</summary>
    public bool Coverage { get; init; }
}

/// <summary>The body of <c>POST /v1/score</c>: sentence pairs to score by forced decoding, as <c>score</c>.</summary>
public sealed class ScoreRequest
{
    /// <summary>The pairs, scored in order.</summary>
    public required IReadOnlyList<ScorePair> Pairs { get; init; }
}

/// <summary>A source sentence and a translation of it to score.</summary>
public sealed class ScorePair
{
    public required string Source { get; init; }
    public required string Target { get; init; }
}
