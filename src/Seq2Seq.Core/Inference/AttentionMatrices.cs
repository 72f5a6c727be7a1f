using Seq2Seq.Inspection;
using Seq2Seq.Text;

namespace Seq2Seq.Inference;

/// <summary>Builds <see cref="AttentionMatrix"/> values from search and scoring results.</summary>
internal static class AttentionMatrices
{
    /// <summary>The attention of a translation's best hypothesis: source pieces plus &lt;/s&gt; across, target pieces down.</summary>
    public static AttentionMatrix Of(Translation translation, SubwordTokenizer source, SubwordTokenizer target)
    {
        var best = translation.Candidates[0].Hypothesis;
        return Of(translation.SourceIds, best.Tokens, best.Attention, source, target);
    }

    /// <summary>The attention matrix for given source ids (without EOS), target ids and weights [target, source + EOS].</summary>
    public static AttentionMatrix Of(int[] sourceIds, int[] targetIds, float[,] weights, SubwordTokenizer source, SubwordTokenizer target) =>
        new([.. source.Pieces(sourceIds), SpecialTokens.EndOfSentence], [.. target.Pieces(targetIds)], weights);
}
