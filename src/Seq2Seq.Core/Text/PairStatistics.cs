namespace Seq2Seq.Text;

/// <summary>
/// Adjacent-pair counts for BPE learning, kept up to date incrementally: merging a pair only revisits
/// the words that contain it, and a lazily invalidated priority queue finds the most frequent pair.
/// </summary>
internal sealed class PairStatistics
{
    private readonly List<BpeLearner.Word> _words;
    private readonly Dictionary<(int Left, int Right), long> _counts = [];
    private readonly Dictionary<(int Left, int Right), HashSet<int>> _where = [];
    private readonly PriorityQueue<(int Left, int Right), long> _queue = new();

    public PairStatistics(List<BpeLearner.Word> words)
    {
        _words = words;
        for (int w = 0; w < words.Count; w++)
            Add(w, +1);
        foreach (var (pair, count) in _counts)
            _queue.Enqueue(pair, -count);
    }

    /// <summary>Takes the most frequent pair (ties: lexicographically smallest symbols).</summary>
    public bool TryTakeBest(int minFrequency, List<string> symbols, out (int Left, int Right) best)
    {
        best = default;
        var tied = new List<(int Left, int Right)>();
        long bestCount = 0;
        while (_queue.TryPeek(out var pair, out long priority))
        {
            long current = _counts.GetValueOrDefault(pair);
            if (current != -priority) { _queue.Dequeue(); continue; } // stale entry
            if (tied.Count > 0 && current < bestCount) break;
            _queue.Dequeue();
            bestCount = current;
            tied.Add(pair);
        }
        if (tied.Count == 0 || bestCount < minFrequency) return false;
        best = tied.MinBy(p => symbols[p.Left] + " " + symbols[p.Right], StringComparer.Ordinal);
        foreach (var other in tied)
            if (other != best) _queue.Enqueue(other, -bestCount);
        return true;
    }

    /// <summary>Replaces every occurrence of <paramref name="pair"/> by <paramref name="merged"/>.</summary>
    public void Merge((int Left, int Right) pair, int merged)
    {
        if (!_where.Remove(pair, out var wordIndices)) return;
        var touched = new HashSet<(int, int)>();
        foreach (int w in wordIndices.Order())
        {
            var symbols = _words[w].Symbols;
            if (!ContainsPair(symbols, pair)) continue;
            Add(w, -1, touched);
            for (int i = 0; i < symbols.Count - 1; i++)
            {
                if (symbols[i] == pair.Left && symbols[i + 1] == pair.Right)
                {
                    symbols[i] = merged;
                    symbols.RemoveAt(i + 1);
                }
            }
            Add(w, +1, touched);
        }
        _counts.Remove(pair);
        foreach (var p in touched)
            if (_counts.TryGetValue(p, out long count) && count > 0)
                _queue.Enqueue(p, -count);
    }

    private static bool ContainsPair(List<int> symbols, (int Left, int Right) pair)
    {
        for (int i = 0; i < symbols.Count - 1; i++)
            if (symbols[i] == pair.Left && symbols[i + 1] == pair.Right) return true;
        return false;
    }

    private void Add(int w, int sign, HashSet<(int, int)>? touched = null)
    {
        var word = _words[w];
        for (int i = 0; i < word.Symbols.Count - 1; i++)
        {
            var pair = (word.Symbols[i], word.Symbols[i + 1]);
            long count = _counts.GetValueOrDefault(pair) + sign * word.Count;
            if (count == 0) _counts.Remove(pair); else _counts[pair] = count;
            if (sign > 0)
            {
                if (!_where.TryGetValue(pair, out var set)) _where[pair] = set = [];
                set.Add(w);
            }
            touched?.Add(pair);
        }
    }
}
