using System.Text.Json.Serialization;

namespace Seq2Seq.Training;

/// <summary>
/// Everything besides weights and optimizer moments that a resumed run needs to continue exactly where it
/// stopped: position in the data, schedule and early-stopping counters, and the validation history.
/// </summary>
internal sealed class TrainingState
{
    /// <summary>Optimizer updates done so far.</summary>
    [JsonPropertyName("step")] public long Step { get; set; }

    /// <summary>The epoch in progress (0-based).</summary>
    [JsonPropertyName("epoch")] public int Epoch { get; set; }

    /// <summary>Index of the next batch of <see cref="Epoch"/>'s batch order.</summary>
    [JsonPropertyName("batch_in_epoch")] public int BatchInEpoch { get; set; }

    [JsonPropertyName("learning_rate")] public double LearningRate { get; set; }

    /// <summary>Best validation value of the selection metric so far (higher is better; loss is negated).</summary>
    [JsonPropertyName("best_metric")] public double? BestMetric { get; set; }

    /// <summary>Validations since the selection metric last improved (drives decay and early stopping).</summary>
    [JsonPropertyName("validations_without_improvement")] public int ValidationsWithoutImprovement { get; set; }

    /// <summary>Validations since the learning rate was last decayed.</summary>
    [JsonPropertyName("validations_since_decay")] public int ValidationsSinceDecay { get; set; }

    /// <summary>Consecutive batches skipped for a non-finite loss.</summary>
    [JsonPropertyName("consecutive_bad_batches")] public int ConsecutiveBadBatches { get; set; }

    [JsonPropertyName("training_seconds")] public double TrainingSeconds { get; set; }

    [JsonPropertyName("finished")] public bool Finished { get; set; }

    [JsonPropertyName("history")] public List<ValidationResult> History { get; set; } = [];
}
