using System.Text.Json.Nodes;
using Seq2Seq.Text;

namespace Seq2Seq.Inference;

/// <summary>
/// What <c>translate</c> adds from the attention of each best translation: word-level hard alignments
/// (Pharaoh <c>src-tgt</c> pairs, 0-based), the full subword attention matrix, and coverage diagnostics.
/// </summary>
internal sealed class AttentionAnnotations(SubwordTokenizer source, SubwordTokenizer target)
{
    public bool Alignments { get; init; }
    public bool Attention { get; init; }
    public bool Coverage { get; init; }

    public bool Any => Alignments || Attention || Coverage;

    /// <summary>The alignment of the best translation in Pharaoh format ("" for an empty line).</summary>
    public string Pharaoh(Translation translation) =>
        translation.Candidates.Count == 0 ? "" : AttentionMatrices.Of(translation, source, target).ToWords().ToPharaoh();

    /// <summary>Adds the <c>alignment</c>, <c>attention</c> and <c>coverage</c> fields that were asked for.</summary>
    public void AddTo(Translation translation, JsonObject json)
    {
        if (translation.Candidates.Count == 0)
        {
            if (Alignments) json["alignment"] = "";
            return;
        }
        var matrix = AttentionMatrices.Of(translation, source, target);
        if (Alignments) json["alignment"] = matrix.ToWords().ToPharaoh();
        if (Attention)
        {
            var rows = new JsonArray();
            for (int t = 0; t < matrix.Weights.GetLength(0); t++)
                rows.Add(new JsonArray(Enumerable.Range(0, matrix.Weights.GetLength(1)).Select(s => (JsonNode?)matrix.Weights[t, s]).ToArray()));
            json["attention"] = new JsonObject
            {
                ["source_tokens"] = new JsonArray(matrix.SourceTokens.Select(x => (JsonNode?)x).ToArray()),
                ["target_tokens"] = new JsonArray(matrix.TargetTokens.Select(x => (JsonNode?)x).ToArray()),
                ["weights"] = rows,
            };
        }
        if (Coverage) json["coverage"] = JsonNode.Parse(matrix.Coverage().ToJson());
    }
}
