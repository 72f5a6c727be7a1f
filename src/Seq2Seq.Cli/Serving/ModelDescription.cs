using System.Text.Json;
using System.Text.Json.Nodes;
using Seq2Seq.Cli.Commands;
using static TorchSharp.torch;

namespace Seq2Seq.Cli.Serving;

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

    /// <summary>Describes <paramref name="loaded"/>; call on the thread that owns the model.</summary>
    public void Describe(LoadedModel loaded, string precision)
    {
        using var scope = NewDisposeScope();
        long parameters = loaded.Model.parameters().Sum(p => p.numel());
        var checkpoint = loaded.Checkpoint;
        _json = new JsonObject
        {
            ["checkpoint"] = new JsonObject
            {
                ["directory"] = checkpoint.Directory,
                ["step"] = checkpoint.Manifest.Step,
                ["created_utc"] = checkpoint.Manifest.CreatedUtc,
            },
            ["config"] = JsonSerializer.SerializeToNode(checkpoint.Config, Json),
            ["source_vocabulary_size"] = checkpoint.SourceTokenizer.VocabularySize,
            ["target_vocabulary_size"] = checkpoint.TargetTokenizer.VocabularySize,
            ["parameters"] = parameters,
            ["device"] = loaded.Device.ToString(),
            ["precision"] = precision,
            ["max_source_tokens"] = loaded.Translator.MaxSourceTokens,
        };
    }
}
