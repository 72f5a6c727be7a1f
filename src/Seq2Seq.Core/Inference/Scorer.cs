using Seq2Seq.Data;
using Seq2Seq.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Inference;

/// <summary>The log-probability the model assigns to a given target, token by token (EOS included).</summary>
public sealed record ScoredPair(int[] Tokens, float[] TokenLogProbs, double LogProb, float[,] Attention);

/// <summary>
/// Forced decoding: feeds the given target to the decoder and reads off the log-probability of each of its
/// tokens. Scoring a search result gives back the search's own <see cref="Hypothesis.LogProb"/>, for a single
/// model and for an <see cref="Ensemble"/> alike.
/// </summary>
internal static class Scorer
{
    /// <summary>Scores sentence pairs given as text, in batches of similar length; results are in input order.</summary>
    public static ScoredPair[] ScoreAll(Ensemble model, Text.SubwordTokenizer source, Text.SubwordTokenizer target,
        IReadOnlyList<(string Source, string Target)> pairs, int batchSize, Device device)
    {
        var encoded = pairs.Select(p => (Source: source.Encode(p.Source), Target: target.Encode(p.Target))).ToArray();
        var results = new ScoredPair[pairs.Count];
        var order = Enumerable.Range(0, pairs.Count).OrderBy(i => encoded[i].Source.Length).ToList();
        foreach (var chunk in order.Chunk(batchSize))
        {
            using var batch = Batch.Create(chunk.Select(i => encoded[i].Source).ToList(), chunk.Select(i => encoded[i].Target).ToList(), device);
            var scored = Score(model, batch);
            for (int j = 0; j < chunk.Length; j++) results[chunk[j]] = scored[j];
        }
        return results;
    }

    /// <summary>Scores every pair of a batch that has targets.</summary>
    public static ScoredPair[] Score(Ensemble model, Batch batch)
    {
        if (batch.TargetInput is null || batch.TargetOutput is null)
            throw new ArgumentException("scoring needs a batch with targets", nameof(batch));
        model.Eval();
        using var inference = torch.inference_mode();
        using var scope = NewDisposeScope();
        var (logProbs, attention) = model.Force(batch.Source, batch.SourceLengths, batch.TargetInput);
        var tokenLogProbs = logProbs.gather(2, batch.TargetOutput.unsqueeze(2)).squeeze(2);

        long[] gold = batch.TargetOutput.cpu().data<long>().ToArray();
        float[] perTokenLogProbs = tokenLogProbs.cpu().data<float>().ToArray();
        float[] weights = attention.cpu().data<float>().ToArray();
        long[] sourceLengths = batch.SourceLengths.data<long>().ToArray();
        int width = (int)batch.TargetOutput.shape[1], sourceWidth = (int)attention.shape[2];

        var results = new ScoredPair[batch.Size];
        for (int b = 0; b < results.Length; b++)
        {
            int length = 0;
            while (length < width && gold[b * width + length] != Text.SpecialTokens.PadId) length++;
            var tokens = new int[length];
            var perToken = new float[length];
            var matrix = new float[length, sourceLengths[b]];
            double total = 0;
            for (int t = 0; t < length; t++)
            {
                tokens[t] = (int)gold[b * width + t];
                perToken[t] = perTokenLogProbs[b * width + t];
                total += perToken[t];
                for (int s = 0; s < sourceLengths[b]; s++)
                    matrix[t, s] = weights[(b * width + t) * sourceWidth + s];
            }
            results[b] = new ScoredPair(tokens, perToken, total, matrix);
        }
        return results;
    }
}
