using System.Text;

namespace Seq2Seq.Text;

/// <summary>
/// Learns byte-pair-encoding merges (Sennrich et al. 2016) from normalised text, in the
/// end-of-word-suffix style that Microsoft.ML.Tokenizers' <c>BpeTokenizer</c> loads: words are split
/// on spaces, each word starts as its code points with <see cref="EndOfWordSuffix"/> on the last one,
/// and the most frequent adjacent pair is merged until the vocabulary reaches the requested size.
/// </summary>
internal sealed class BpeLearner
{
    public const string EndOfWordSuffix = "</w>";

    private readonly List<string> _symbols = [];
    private readonly Dictionary<string, int> _symbolIds = new(StringComparer.Ordinal);

    /// <summary>Learns a model with at most <paramref name="vocabSize"/> entries (special tokens included).</summary>
    /// <param name="lines">Normalised text, one sentence per item.</param>
    /// <param name="vocabSize">Upper bound on the vocabulary; every character seen is always kept.</param>
    /// <param name="minFrequency">Pairs seen fewer times than this are never merged.</param>
    public static BpeModel Learn(IEnumerable<string> lines, int vocabSize, int minFrequency = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, SpecialTokens.All.Count + 1);
        return new BpeLearner().Run(CountWords(lines), vocabSize, Math.Max(1, minFrequency));
    }

    private static Dictionary<string, long> CountWords(IEnumerable<string> lines)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in lines)
            foreach (string word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                counts[word] = counts.GetValueOrDefault(word) + 1;
        return counts;
    }

    private BpeModel Run(Dictionary<string, long> wordCounts, int vocabSize, int minFrequency)
    {
        // Words in a fixed order so that ties are broken the same way on every run.
        var words = wordCounts.OrderBy(w => w.Key, StringComparer.Ordinal)
            .Select(w => new Word(Split(w.Key), w.Value)).ToList();
        var initial = InitialSymbols(words);
        var pairs = new PairStatistics(words);
        var merges = new List<(string Left, string Right)>();
        int budget = vocabSize - SpecialTokens.All.Count - initial.Count;

        while (merges.Count < budget && pairs.TryTakeBest(minFrequency, _symbols, out var best))
        {
            string merged = _symbols[best.Left] + _symbols[best.Right];
            merges.Add((_symbols[best.Left], _symbols[best.Right]));
            pairs.Merge(best, Intern(merged));
        }

        var vocabulary = SpecialTokens.All.Concat(initial).Concat(merges.Select(m => m.Left + m.Right)).ToList();
        return new BpeModel(vocabulary, merges);
    }

    private int[] Split(string word)
    {
        var runes = word.EnumerateRunes().Select(r => r.ToString()).ToArray();
        runes[^1] += EndOfWordSuffix;
        return runes.Select(Intern).ToArray();
    }

    /// <summary>Every starting symbol, most frequent first, so ids are stable and readable.</summary>
    private List<string> InitialSymbols(List<Word> words)
    {
        var frequency = new Dictionary<int, long>();
        foreach (var word in words)
            foreach (int symbol in word.Symbols)
                frequency[symbol] = frequency.GetValueOrDefault(symbol) + word.Count;
        return frequency.OrderByDescending(f => f.Value).ThenBy(f => _symbols[f.Key], StringComparer.Ordinal)
            .Select(f => _symbols[f.Key]).ToList();
    }

    private int Intern(string symbol)
    {
        if (!_symbolIds.TryGetValue(symbol, out int id))
        {
            id = _symbols.Count;
            _symbols.Add(symbol);
            _symbolIds.Add(symbol, id);
        }
        return id;
    }

    internal sealed class Word(int[] symbols, long count)
    {
        public List<int> Symbols { get; } = [.. symbols];
        public long Count { get; } = count;
    }
}
