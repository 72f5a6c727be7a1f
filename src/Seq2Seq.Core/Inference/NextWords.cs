using Seq2Seq.Data;
using Seq2Seq.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Inference;

/// <summary>
/// Next-word alternatives for interactive translation. One teacher-forced pass through each prefix gives the
/// distribution of the first free subword; its most probable pieces (among the allowed ones, for a word being typed)
/// each become a prefix of their own, searched in the same batch as the translation itself, and the word each of
/// those completions begins with is an alternative. A word's probability is that of its subwords as its completion
/// spells them. Trying only the top first pieces keeps the cost near one search (the batch's rows, not its steps,
/// grow); a word whose first piece ranks lower is not offered.
/// </summary>
internal static class NextWords
{
    /// <summary>Per sentence, the <paramref name="count"/> most probable allowed first pieces after its prefix, best first.</summary>
    public static int[][] FirstPieces(Ensemble model, IReadOnlyList<int[]> sources, IReadOnlyList<SearchPrefix> prefixes, int count,
        int minimumSourceLength, Device device)
    {
        // Unlike search, not padded to BeamSearch.MinimumRows: that cost a tenth of a translation, and only pieces whose
        // probabilities tie to within rounding could be chosen differently beside other sentences.
        model.Eval();
        using var inference = torch.inference_mode();
        using var scope = NewDisposeScope();
        using var batch = Batch.Create(sources, [.. prefixes.Select(p => p.Tokens)], device, minimumSourceLength);
        var (logProbs, _) = model.Force(batch.Source, batch.SourceLengths, batch.TargetInput!);
        using var positions = tensor(prefixes.Select(p => (long)p.Tokens.Length).ToArray(), device: logProbs.device);
        using var sentences = arange(sources.Count, device: logProbs.device);
        float[] next = logProbs[sentences, positions].cpu().data<float>().ToArray();
        int vocabulary = (int)logProbs.shape[2];
        return [.. Enumerable.Range(0, sources.Count).Select(s =>
        {
            var allowed = prefixes[s].NextAllowed ?? Enumerable.Range(0, vocabulary);
            return allowed.Where(id => !SpecialTokens.IsControl(id) && id != SpecialTokens.UnknownId)
                .OrderByDescending(id => next[s * vocabulary + id]).ThenBy(id => id)
                .Take(count).ToArray();
        })];
    }

    /// <summary>
    /// The distinct words the completions begin with right after <paramref name="prefixLength"/> tokens, most probable
    /// first, at most <paramref name="count"/>.
    /// </summary>
    public static List<Alternative> Collect(int prefixLength, IEnumerable<Hypothesis> completions, SubwordTokenizer target, int count)
    {
        var found = new List<Alternative>();
        foreach (var completion in completions)
        {
            int[] tokens = completion.Content;
            int end = prefixLength;
            while (end < tokens.Length && !SubwordTokenizer.EndsWord(target.Piece(tokens[end]))) end++;
            end = Math.Min(end + 1, tokens.Length);
            if (end <= prefixLength) continue;
            string word = target.Decode(tokens[prefixLength..end]);
            double logProb = completion.TokenLogProbs[prefixLength..end].Sum(p => (double)p);
            found.Add(new Alternative(word, Math.Exp(logProb), new TranslationCandidate(target.Decode(tokens), completion)));
        }
        return [.. found.OrderByDescending(a => a.Probability).DistinctBy(a => a.Word).Take(count)];
    }
}
