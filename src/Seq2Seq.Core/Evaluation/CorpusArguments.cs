namespace Seq2Seq.Evaluation;

/// <summary>Argument checks shared by the corpus metrics, which need references aligned line by line.</summary>
internal static class CorpusArguments
{
    /// <summary>Throws unless there is at least one reference stream and every stream matches the hypotheses.</summary>
    public static void Validate(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0)
            throw new ArgumentException("At least one reference stream is needed.", nameof(references));
        if (hypotheses.Any(h => h is null))
            throw new ArgumentException("A hypothesis line is null.", nameof(hypotheses));
        for (int s = 0; s < references.Count; s++)
        {
            var stream = references[s] ?? throw new ArgumentException($"Reference stream {s} is null.", nameof(references));
            if (stream.Count != hypotheses.Count)
            {
                throw new ArgumentException(
                    $"{hypotheses.Count} hypotheses but {stream.Count} references in stream {s}; they must be aligned line by line.",
                    nameof(references));
            }
            if (stream.Any(r => r is null))
                throw new ArgumentException($"A reference line in stream {s} is null.", nameof(references));
        }
    }
}
