using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seq2Seq.Serving;

/// <summary>
/// What <c>GET /v1/model</c> answers: the checkpoint (folder, step, creation time), the model configuration,
/// vocabulary sizes, parameter count, device and precision. Made once, on the search worker, when the model is loaded.
/// </summary>
public sealed class ModelDescription
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private volatile JsonObject? _json;

    /// <summary>The description once the model is loaded, else null.</summary>
    public JsonObject? Current => _json;

    /// <summary>Describes the loaded model.</summary>
    public void Describe(TranslationModelInfo info)
    {
        _json = new JsonObject
        {
            ["checkpoint"] = new JsonObject
            {
                ["directory"] = info.Checkpoints[0],
                ["step"] = info.Step,
                ["created_utc"] = info.CreatedUtc,
            },
            ["config"] = JsonSerializer.SerializeToNode(info.Config, Json),
            ["source_vocabulary_size"] = info.SourceVocabularySize,
            ["target_vocabulary_size"] = info.TargetVocabularySize,
            ["parameters"] = info.Parameters,
            ["device"] = info.Device,
            ["precision"] = info.Precision,
            ["max_source_tokens"] = info.MaxSourceTokens,
            ["threads"] = info.Threads,
        };
    }
}
