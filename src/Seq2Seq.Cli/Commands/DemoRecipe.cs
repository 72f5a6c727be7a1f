using System.Globalization;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// The training configuration of the demo: a small model on the generated English→German corpus, sized to
/// reach near-perfect test accuracy within a few minutes on two CPU cores. Written to the run's
/// <c>config.json</c> like any other run, so it doubles as an example configuration.
/// </summary>
public static class DemoRecipe
{
    public static Dictionary<string, string?> Settings(string corpusDirectory, string device, int seed) => new()
    {
        ["Data:Train"] = Path.Combine(corpusDirectory, "train"),
        ["Data:Valid"] = Path.Combine(corpusDirectory, "dev"),
        ["Data:SourceLanguage"] = "en",
        ["Data:TargetLanguage"] = "de",
        ["Tokenizer:VocabSize"] = "600",
        ["Tokenizer:Joint"] = "true",
        ["Model:EmbeddingSize"] = "128",
        ["Model:EncoderHiddenSize"] = "128",
        ["Model:DecoderHiddenSize"] = "256",
        ["Model:AttentionSize"] = "128",
        ["Model:Dropout"] = "0.1",
        ["Training:Device"] = device,
        ["Training:Seed"] = seed.ToString(CultureInfo.InvariantCulture),
        ["Training:MaxEpochs"] = "12",
        ["Training:MaxSeconds"] = "210",
        ["Training:BatchTokens"] = "1500",
        ["Training:LearningRate"] = "0.002",
        ["Training:WarmupSteps"] = "50",
        ["Training:EarlyStoppingPatience"] = "3",
        ["Training:KeepCheckpoints"] = "1",
        ["Training:ReportSeconds"] = "15",
    };
}
