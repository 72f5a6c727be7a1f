using System.Globalization;

namespace Seq2Seq.Inspection;

/// <summary>
/// The attention of one translation: <c>Weights[t, s]</c> is how much target token t attended to source
/// token s (each row is a softmax, so it sums to 1). Tokens are BPE pieces (<c>hou</c>, <c>se&lt;/w&gt;</c>)
/// unless the matrix came from <see cref="ToWords"/>, whose tokens are whole words.
/// </summary>
public sealed class AttentionMatrix
{
    private readonly string[] _source;
    private readonly string[] _target;

    /// <summary>
    /// Takes copies of the tokens and weights. Throws <see cref="ArgumentException"/> when the weights are not
    /// <c>[target.Count, source.Count]</c>, when there is no source token, or when a weight is negative or not finite.
    /// </summary>
    public AttentionMatrix(IReadOnlyList<string> source, IReadOnlyList<string> target, float[,] weights)
        : this(source, target, weights, isWordLevel: false)
    {
    }

    private AttentionMatrix(IReadOnlyList<string> source, IReadOnlyList<string> target, float[,] weights, bool isWordLevel)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(weights);
        _source = CopyTokens(source, "source");
        _target = CopyTokens(target, "target");
        if (_source.Length == 0)
            throw new ArgumentException("an attention matrix needs at least one source token (the source ends with </s>)");
        int rows = weights.GetLength(0), cols = weights.GetLength(1);
        if (rows != _target.Length || cols != _source.Length)
            throw new ArgumentException(
                $"attention weights are {rows}×{cols} (target × source) but there are {_target.Length} target and {_source.Length} source tokens; " +
                "expected weights[target.Count, source.Count]");
        for (int t = 0; t < rows; t++)
        {
            for (int s = 0; s < cols; s++)
            {
                float w = weights[t, s];
                if (!float.IsFinite(w) || w < 0)
                    throw new ArgumentException(
                        $"attention weight [{t}, {s}] ({_target[t]} → {_source[s]}) is {w.ToString(CultureInfo.InvariantCulture)}; weights must be finite and non-negative");
            }
        }
        Weights = (float[,])weights.Clone();
        IsWordLevel = isWordLevel;
    }

    /// <summary>Source tokens, one per column (the last is usually <c>&lt;/s&gt;</c>).</summary>
    public IReadOnlyList<string> SourceTokens => _source;

    /// <summary>Target tokens, one per row.</summary>
    public IReadOnlyList<string> TargetTokens => _target;

    /// <summary>The weights, <c>[target, source]</c>.</summary>
    public float[,] Weights { get; }

    /// <summary>True when the tokens are whole words (the result of <see cref="ToWords"/>).</summary>
    public bool IsWordLevel { get; }

    /// <summary>Readable source labels: <see cref="Subwords.DisplayLabel"/> of each piece, or the words themselves.</summary>
    public IReadOnlyList<string> SourceLabels => Labels(_source);

    /// <summary>Readable target labels: <see cref="Subwords.DisplayLabel"/> of each piece, or the words themselves.</summary>
    public IReadOnlyList<string> TargetLabels => Labels(_target);

    /// <summary>
    /// The same attention over whole words: the columns of a source word are summed (attention to any of its
    /// pieces is attention to the word) and the rows of a target word are averaged (so rows still sum to 1).
    /// Labels become the words (<c>hou</c> + <c>se&lt;/w&gt;</c> → <c>house</c>). A word matrix is returned as it is.
    /// </summary>
    public AttentionMatrix ToWords()
    {
        if (IsWordLevel) return this;
        int[] sourceWord = Subwords.WordIndexes(_source);
        int[] targetWord = Subwords.WordIndexes(_target);
        var sourceWords = Subwords.Words(_source);
        var targetWords = Subwords.Words(_target);

        var sums = new double[targetWords.Count, sourceWords.Count];
        var piecesPerTargetWord = new int[targetWords.Count];
        for (int t = 0; t < _target.Length; t++)
        {
            piecesPerTargetWord[targetWord[t]]++;
            for (int s = 0; s < _source.Length; s++) sums[targetWord[t], sourceWord[s]] += Weights[t, s];
        }
        var merged = new float[targetWords.Count, sourceWords.Count];
        for (int t = 0; t < targetWords.Count; t++)
            for (int s = 0; s < sourceWords.Count; s++)
                merged[t, s] = (float)(sums[t, s] / piecesPerTargetWord[t]);
        return new AttentionMatrix(sourceWords, targetWords, merged, isWordLevel: true);
    }

    /// <summary>
    /// Hard alignment in the style of fairseq's <c>extract_hard_alignment</c>: every target token except
    /// the control tokens (<c>&lt;/s&gt;</c>, ...) is aligned to the source token it attends to most, with the
    /// <c>&lt;/s&gt;</c> column left out of the argmax. Ties go to the first source token; a row that puts no
    /// weight at all on a real source token stays unaligned. Indexes are this matrix's row and column
    /// numbers (0-based; call <see cref="ToWords"/> first for word alignments), sorted by target then source.
    /// </summary>
    public IReadOnlyList<(int Source, int Target)> Alignments()
    {
        var pairs = new List<(int Source, int Target)>();
        for (int t = 0; t < _target.Length; t++)
        {
            if (Subwords.IsControl(_target[t])) continue;
            int best = -1;
            float bestWeight = 0;
            for (int s = 0; s < _source.Length; s++)
            {
                if (Subwords.IsControl(_source[s])) continue;
                if (Weights[t, s] > bestWeight)
                {
                    best = s;
                    bestWeight = Weights[t, s];
                }
            }
            if (best >= 0) pairs.Add((best, t));
        }
        return pairs;
    }

    /// <summary>
    /// <see cref="Alignments"/> in Pharaoh format (as fast_align and Moses write it): <c>src-tgt</c> pairs,
    /// 0-based, separated by single spaces, sorted by target then source; empty when nothing is aligned.
    /// </summary>
    public string ToPharaoh() =>
        string.Join(' ', Alignments()
            .OrderBy(p => p.Target).ThenBy(p => p.Source)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Source}-{p.Target}")));

    /// <summary>
    /// Coverage diagnostics: how much attention each source word received in total (flagging possible
    /// under- and over-translation) and how spread out each target token's attention is. See
    /// <see cref="CoverageReport"/> for exactly what is counted.
    /// </summary>
    public CoverageReport Coverage(double underThreshold = 0.3, double overThreshold = 2.0) =>
        CoverageReport.Of(this, underThreshold, overThreshold);

    private IReadOnlyList<string> Labels(string[] tokens) =>
        IsWordLevel ? tokens : Array.ConvertAll(tokens, Subwords.DisplayLabel);

    private static string[] CopyTokens(IReadOnlyList<string> tokens, string side)
    {
        var copy = new string[tokens.Count];
        for (int i = 0; i < copy.Length; i++)
            copy[i] = tokens[i] ?? throw new ArgumentException($"{side} token {i} is null");
        return copy;
    }
}
