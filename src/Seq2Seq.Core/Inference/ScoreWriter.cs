using System.Text.Json.Nodes;
using Seq2Seq.Text;

namespace Seq2Seq.Inference;

/// <summary>The JSON of one scored pair, as <c>score</c> writes a line and the service an entry.</summary>
internal static class ScoreWriter
{
    /// <summary>The pair, its total log-probability, and its target pieces with their log-probabilities.</summary>
    public static JsonObject ToJson(string source, string target, ScoredPair scored, SubwordTokenizer targetTokenizer) => new()
    {
        ["source"] = source,
        ["target"] = target,
        ["log_prob"] = scored.LogProb,
        ["tokens"] = new JsonArray(scored.Tokens.Select(id => (JsonNode?)targetTokenizer.Piece(id)).ToArray()),
        ["token_log_probs"] = new JsonArray(scored.TokenLogProbs.Select(p => (JsonNode?)p).ToArray()),
    };
}
