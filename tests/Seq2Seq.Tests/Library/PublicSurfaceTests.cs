using System.Reflection;

namespace Seq2Seq.Tests.Library;

/// <summary>
/// The library's public surface is a deliberate list: <see cref="TranslationModel"/> and the types its users touch
/// (training in-process, evaluation, attention inspection, the demo corpus). Everything else is internal, so a new
/// public type means changing <see cref="Expected"/> on purpose.
/// </summary>
public class PublicSurfaceTests
{
    private static readonly Assembly Core = typeof(TranslationModel).Assembly;

    /// <summary>Every public type of <c>Seq2Seq.Core</c>, by full name.</summary>
    public static readonly string[] Expected =
    [
        "Seq2Seq.Demo.DemoCorpus",
        "Seq2Seq.Demo.DemoCorpusOptions",
        "Seq2Seq.Demo.DemoSplits",
        "Seq2Seq.Evaluation.Bleu",
        "Seq2Seq.Evaluation.BleuScore",
        "Seq2Seq.Evaluation.ChrF",
        "Seq2Seq.Evaluation.ChrFScore",
        "Seq2Seq.Inference.Alternative",
        "Seq2Seq.Inference.Hypothesis",
        "Seq2Seq.Inference.ScoredPair",
        "Seq2Seq.Inference.SearchOptions",
        "Seq2Seq.Inference.Translation",
        "Seq2Seq.Inference.TranslationCandidate",
        "Seq2Seq.Inspection.AttentionMatrix",
        "Seq2Seq.Inspection.AttentionPlot",
        "Seq2Seq.Inspection.CoverageReport",
        "Seq2Seq.Inspection.CoverageStatus",
        "Seq2Seq.Inspection.HeatmapHtml",
        "Seq2Seq.Inspection.SourceWordCoverage",
        "Seq2Seq.Inspection.TargetEntropy",
        "Seq2Seq.IO.InputException",
        "Seq2Seq.Model.ModelConfig",
        "Seq2Seq.Runtime.AllocatorTuning",
        "Seq2Seq.Text.SubwordTokenizer",
        "Seq2Seq.Training.DataOptions",
        "Seq2Seq.Training.TokenizerOptions",
        "Seq2Seq.Training.Trainer",
        "Seq2Seq.Training.TrainingDivergedException",
        "Seq2Seq.Training.TrainingEnd",
        "Seq2Seq.Training.TrainingOptions",
        "Seq2Seq.Training.TrainingOutcome",
        "Seq2Seq.Training.TrainingProgress",
        "Seq2Seq.Training.TrainingSetup",
        "Seq2Seq.Training.ValidationResult",
        "Seq2Seq.TranslationModel",
        "Seq2Seq.TranslationModelInfo",
        "Seq2Seq.TranslationModelOptions",
    ];

    [Fact]
    public void The_public_types_are_exactly_the_expected_list()
    {
        var actual = Core.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal).ToList();
        var added = actual.Except(Expected).ToList();
        var removed = Expected.Except(actual).ToList();
        Assert.True(added.Count == 0 && removed.Count == 0,
            $"Seq2Seq.Core's public types changed. Newly public: [{string.Join(", ", added)}]; no longer public: [{string.Join(", ", removed)}]. " +
            "Make implementation types internal, or update PublicSurfaceTests.Expected if the change is deliberate.");
    }

    [Theory]
    [InlineData("Seq2Seq.Model.DecoderCell")]
    [InlineData("Seq2Seq.Model.Seq2SeqModel")]
    [InlineData("Seq2Seq.Checkpoints.SafeTensors")]
    [InlineData("Seq2Seq.Checkpoints.Checkpoint")]
    [InlineData("Seq2Seq.IO.AtomicFile")]
    [InlineData("Seq2Seq.Inference.BeamSearch")]
    [InlineData("Seq2Seq.Inference.Translator")]
    [InlineData("Seq2Seq.Data.Batch")]
    public void Implementation_types_are_internal(string name)
    {
        var type = Core.GetType(name);
        Assert.NotNull(type);
        Assert.False(type.IsVisible, $"{name} is public");
    }

    [Fact]
    public void Friend_assemblies_are_the_products_own()
    {
        var friends = Core.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName).Order(StringComparer.Ordinal);
        Assert.Equal(["Seq2Seq.Benchmarks", "Seq2Seq.Serving", "Seq2Seq.Tests", "seq2seq"], friends);
    }
}
