using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Seq2Seq.IO;

namespace Seq2Seq.Inference;

/// <summary>
/// Formats translations for output. Text: one best translation per line (with n-best &gt; 1, Moses n-best lines
/// <c>index ||| translation ||| log_prob</c>). JSONL: one object per input line with <c>source</c>,
/// <c>translation</c>, <c>log_prob</c> (natural log, EOS included), <c>score</c> (length-normalised),
/// <c>tokens</c> (target subwords incl. EOS), <c>token_log_probs</c> and, with n-best &gt; 1, <c>n_best</c>.
/// <see cref="Annotations"/> add alignments (after a tab in text output), attention and coverage; with
/// <see cref="Alternatives"/>, <c>alternatives</c> lists the next words offered (<c>word</c>, <c>probability</c>,
/// <c>translation</c>).
/// </summary>
internal sealed class TranslationWriter(bool jsonLines, int nBest)
{
    /// <summary>Alignments, attention and coverage to add to each output line (none by default).</summary>
    public AttentionAnnotations? Annotations { get; init; }

    /// <summary>Adds the next-word alternatives of each translation to its JSONL object.</summary>
    public bool Alternatives { get; init; }

    /// <summary>Tokenizer used to show target token ids as subword pieces in JSONL.</summary>
    public Text.SubwordTokenizer? TargetTokenizer { get; init; }

    /// <summary>Writes the output for input line <paramref name="index"/> (0-based).</summary>
    public void Write(TextWriter output, Translation translation, long index)
    {
        if (jsonLines)
        {
            output.Write(ToJson(translation).ToJsonString(JsonDefaults.Line));
            output.Write('\n');
        }
        else if (nBest <= 1)
        {
            output.Write(translation.Best);
            if (Annotations?.Alignments == true)
            {
                output.Write('\t');
                output.Write(Annotations.Pharaoh(translation));
            }
            output.Write('\n');
        }
        else
        {
            foreach (var candidate in translation.Candidates)
                output.Write(string.Create(CultureInfo.InvariantCulture, $"{index} ||| {candidate.Text} ||| {candidate.Hypothesis.LogProb:F4}\n"));
        }
    }

    /// <summary>The JSONL object of one translation (what <see cref="Write"/> writes as a line), for callers that embed it.</summary>
    public JsonObject ToJson(Translation translation)
    {
        var json = new JsonObject { ["source"] = translation.Source };
        var best = translation.Candidates.Count > 0 ? translation.Candidates[0] : null;
        json["translation"] = best?.Text ?? "";
        foreach (var (key, value) in Describe(best)) json[key] = value;
        if (nBest > 1)
            json["n_best"] = new JsonArray(translation.Candidates.Select(c =>
            {
                var entry = new JsonObject { ["translation"] = c.Text };
                foreach (var (key, value) in Describe(c)) entry[key] = value;
                return (JsonNode)entry;
            }).ToArray());
        if (translation.Truncated) json["truncated"] = true;
        if (Alternatives)
            json["alternatives"] = new JsonArray([.. translation.Alternatives.Select(a => (JsonNode)new JsonObject
            {
                ["word"] = a.Word,
                ["probability"] = a.Probability,
                ["translation"] = a.Translation.Text,
            })]);
        Annotations?.AddTo(translation, json);
        return json;
    }

    private IEnumerable<(string, JsonNode?)> Describe(TranslationCandidate? candidate)
    {
        var h = candidate?.Hypothesis;
        yield return ("log_prob", h?.LogProb ?? 0.0);
        yield return ("score", h?.Score ?? 0.0);
        yield return ("tokens", new JsonArray((h?.Tokens ?? []).Select(id => (JsonNode?)(TargetTokenizer?.Piece(id) ?? id.ToString(CultureInfo.InvariantCulture))).ToArray()));
        yield return ("token_log_probs", new JsonArray((h?.TokenLogProbs ?? []).Select(p => (JsonNode?)p).ToArray()));
    }
}
