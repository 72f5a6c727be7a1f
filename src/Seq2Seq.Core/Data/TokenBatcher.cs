namespace Seq2Seq.Data;

/// <summary>
/// Groups examples into batches of similar length under a token budget, so little compute is spent on
/// padding. The order is a pure function of the seed and epoch, which makes a resumed run see exactly
/// the batches an uninterrupted run would have seen.
/// </summary>
internal static class TokenBatcher
{
    /// <summary>
    /// Splits examples into batches whose padded size, sentences × longest side (+1 for EOS/BOS), stays within
    /// <paramref name="maxTokens"/>. With <paramref name="shuffle"/>, examples of equal length are mixed and the
    /// batch order is shuffled; without it, batches follow length order (for evaluation).
    /// </summary>
    /// <returns>Batches as lists of example indices.</returns>
    public static List<int[]> Plan(IReadOnlyList<TokenizedPair> examples, int maxTokens, int maxSentences, bool shuffle, int seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSentences, 1);
        var random = new SplitMix64(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)epoch));
        var noise = new ulong[examples.Count];
        for (int i = 0; i < noise.Length; i++) noise[i] = shuffle ? random.Next() : (ulong)i;
        var order = Enumerable.Range(0, examples.Count)
            .OrderBy(i => examples[i].Target.Length).ThenBy(i => examples[i].Source.Length).ThenBy(i => noise[i])
            .ToArray();

        var batches = new List<int[]>();
        var current = new List<int>();
        int longest = 0;
        foreach (int i in order)
        {
            int length = Math.Max(examples[i].Source.Length, examples[i].Target.Length) + 1;
            int widened = Math.Max(longest, length);
            if (current.Count > 0 && ((current.Count + 1) * widened > maxTokens || current.Count == maxSentences))
            {
                batches.Add([.. current]);
                current.Clear();
                widened = length;
            }
            current.Add(i);
            longest = widened;
        }
        if (current.Count > 0) batches.Add([.. current]);
        if (shuffle) Shuffle(batches, random);
        return batches;
    }

    private static void Shuffle<T>(List<T> items, SplitMix64 random)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = (int)(random.Next() % (ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
