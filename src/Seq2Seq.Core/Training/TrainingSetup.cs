using Seq2Seq.Checkpoints;
using Seq2Seq.Model;

namespace Seq2Seq.Training;

/// <summary>Everything a training run is configured with: the four option sections and the run folder.</summary>
public sealed record TrainingSetup(TrainingOptions Training, DataOptions Data, TokenizerOptions Tokenizer, ModelConfig Model, RunDirectory Run)
{
    /// <summary>The configuration as it is recorded in the run's <c>config.json</c> (same section names as the input).</summary>
    public object ToRecord() => new Dictionary<string, object>
    {
        [DataOptions.Section] = Data,
        [TokenizerOptions.Section] = Tokenizer,
        ["Model"] = Model,
        [TrainingOptions.Section] = Training,
    };
}
