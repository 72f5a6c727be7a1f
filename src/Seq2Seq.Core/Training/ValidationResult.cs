using System.Text.Json.Serialization;

namespace Seq2Seq.Training;

/// <summary>One validation: loss and perplexity by forced decoding, BLEU and chrF of the decoded output.</summary>
public sealed record ValidationResult(
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("epoch")] double Epoch,
    [property: JsonPropertyName("train_loss")] double TrainLoss,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("perplexity")] double Perplexity,
    [property: JsonPropertyName("bleu")] double Bleu,
    [property: JsonPropertyName("chrf")] double ChrF,
    [property: JsonPropertyName("learning_rate")] double LearningRate,
    [property: JsonPropertyName("seconds")] double Seconds);
