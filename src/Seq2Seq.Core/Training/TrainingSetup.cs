using Seq2Seq.Checkpoints;
using Seq2Seq.Model;

namespace Seq2Seq.Training;

/// <summary>Everything a training run is configured with: the four option sections and the run folder.</summary>
/// <param name="RunFolder">
/// The run's folder: <c>config.json</c>, <c>tokenizer/</c>, <c>checkpoints/step-NNNNNNNN/</c>, the pointers <c>best.json</c>
/// and <c>last.json</c>, <c>validation.png</c> and <c>tensorboard/</c>. A run folder or one of its checkpoints opens with
/// <see cref="TranslationModel.Open(string, TranslationModelOptions?)"/>.
/// </param>
public sealed record TrainingSetup(TrainingOptions Training, DataOptions Data, TokenizerOptions Tokenizer, ModelConfig Model, string RunFolder)
{
    /// <summary>The layout of <see cref="RunFolder"/>.</summary>
    internal RunDirectory Run => new(RunFolder);

    /// <summary>The configuration as it is recorded in the run's <c>config.json</c> (same section names as the input).</summary>
    internal object ToRecord() => new Dictionary<string, object>
    {
        [DataOptions.Section] = Data,
        [TokenizerOptions.Section] = Tokenizer,
        ["Model"] = Model,
        [TrainingOptions.Section] = Training,
    };
}
