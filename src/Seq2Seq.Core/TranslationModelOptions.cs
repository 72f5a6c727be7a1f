using Microsoft.Extensions.Logging;
using Seq2Seq.Inference;

namespace Seq2Seq;

/// <summary>How <see cref="TranslationModel.Open(string, TranslationModelOptions?)"/> loads a model.</summary>
public sealed record TranslationModelOptions
{
    /// <summary><c>auto</c> (CUDA when available), <c>cpu</c>, or <c>cuda[:N]</c>.</summary>
    public string Device { get; init; } = "auto";

    /// <summary><c>fp32</c>, <c>bf16</c> or <c>fp16</c> weights and activations.</summary>
    public string Precision { get; init; } = "fp32";

    /// <summary>libtorch CPU threads, fixed; null = every available core, one while another process takes a core.</summary>
    public int? Threads { get; init; }

    /// <summary>Where changes of the adaptive thread count are logged (null: nowhere).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Relative weights of ensemble members, one per path (null = equal).</summary>
    public IReadOnlyList<double>? EnsembleWeights { get; init; }

    /// <summary>The default of <see cref="MaxSourceTokens"/>.</summary>
    public const int DefaultMaxSourceTokens = Translator.DefaultMaxSourceTokens;

    /// <summary>Source subwords beyond this are cut off (the translation then covers the kept part only).</summary>
    public int MaxSourceTokens { get; init; } = DefaultMaxSourceTokens;
}
