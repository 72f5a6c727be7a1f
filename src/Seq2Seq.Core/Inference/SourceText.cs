namespace Seq2Seq.Inference;

/// <summary>
/// A text made ready for search by <see cref="Translator.Prepare"/>: its source subwords (cut to the length limit)
/// and the target tokens its prefix forces.
/// </summary>
internal sealed record SourceText(string Text, int[] Ids, bool Truncated, SearchPrefix Prefix)
{
    /// <summary>The source length every batch pads this text to (see <see cref="Translator.PaddedLength"/>).</summary>
    public int PaddedLength => Translator.PaddedLength(Ids.Length);

    /// <summary>A sentence a <see cref="BeamRun"/> searches for this text, with its own prefix or another (an alternative's).</summary>
    public BeamSentence ToSentence(SearchPrefix? prefix = null) =>
        new(Ids.Length + 1, (prefix ?? Prefix).Tokens, (prefix ?? Prefix).NextAllowed);
}
