namespace Seq2Seq.Inference;

/// <summary>
/// What a search must start with: target tokens forced in order, then (for a word being typed) the tokens the next
/// step may choose from, null for any.
/// </summary>
internal readonly record struct SearchPrefix(int[] Tokens, int[]? NextAllowed)
{
    public static readonly SearchPrefix None = new([], null);

    /// <summary>This prefix, then <paramref name="token"/> (no constraint after it).</summary>
    public SearchPrefix Then(int token) => new([.. Tokens, token], null);
}
