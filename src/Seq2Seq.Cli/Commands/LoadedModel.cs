using Seq2Seq.Checkpoints;
using Seq2Seq.Inference;
using Seq2Seq.IO;
using Seq2Seq.Model;
using Seq2Seq.Runtime;
using Seq2Seq.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Cli.Commands;

/// <summary>One checkpoint, or several decoding as an <see cref="Inference.Ensemble"/>, opened for inference on the chosen device.</summary>
public sealed class LoadedModel : IDisposable
{
    private LoadedModel(IReadOnlyList<Checkpoint> checkpoints, IReadOnlyList<Seq2SeqModel> models, Ensemble ensemble, Device device, int maxSourceTokens,
        ThreadGovernor threads)
    {
        Checkpoints = checkpoints;
        Models = models;
        Ensemble = ensemble;
        Device = device;
        Translator = new Translator(ensemble, Checkpoint.SourceTokenizer, Checkpoint.TargetTokenizer, device) { MaxSourceTokens = maxSourceTokens, Threads = threads };
    }

    /// <summary>The first member's checkpoint: its tokenizers serve the whole ensemble.</summary>
    public Checkpoint Checkpoint => Checkpoints[0];
    public IReadOnlyList<Checkpoint> Checkpoints { get; }

    /// <summary>The first member.</summary>
    public Seq2SeqModel Model => Models[0];
    public IReadOnlyList<Seq2SeqModel> Models { get; }
    public Ensemble Ensemble { get; }
    public Device Device { get; }
    public Translator Translator { get; }

    /// <summary>
    /// Opens one checkpoint after setting libtorch's CPU threads on the calling thread, which must be the one that
    /// translates (null = all available cores, fewer while another process takes one: <see cref="ThreadGovernor"/>).
    /// </summary>
    public static LoadedModel Open(DirectoryInfo path, string device, string precision = "fp32", int maxSourceTokens = Translator.DefaultMaxSourceTokens, int? threads = null) =>
        Open([path], null, device, precision, maxSourceTokens, threads);

    /// <summary>Opens checkpoints that must share their vocabularies; several decode as an ensemble with the given relative weights (null = equal).</summary>
    public static LoadedModel Open(IReadOnlyList<DirectoryInfo> paths, IReadOnlyList<double>? weights, string device, string precision = "fp32",
        int maxSourceTokens = Translator.DefaultMaxSourceTokens, int? threads = null)
    {
        if (paths.Count == 0) throw new InputException("give at least one --model");
        if (weights is { Count: > 0 } && weights.Count != paths.Count)
            throw new InputException($"--ensemble-weights has {weights.Count} values for {paths.Count} models; give one weight per --model");
        if (weights is not null && weights.Any(w => !double.IsFinite(w) || w <= 0))
            throw new InputException("--ensemble-weights must be positive numbers");
        var governor = ThreadGovernor.Start(threads);
        var dtype = Runtime.Precision.Parse(precision);
        var checkpoints = paths.Select(p => Checkpoint.Open(p.FullName)).ToList();
        foreach (var other in checkpoints.Skip(1)) RequireSameVocabularies(checkpoints[0], other);
        var resolved = DeviceSelector.Resolve(device);
        var models = new List<Seq2SeqModel>();
        foreach (var checkpoint in checkpoints)
        {
            var model = checkpoint.LoadModel(resolved);
            if (dtype != ScalarType.Float32) model.to(dtype);
            models.Add(model);
        }
        return new LoadedModel(checkpoints, models, new Ensemble(models, weights is { Count: > 0 } ? weights : null), resolved, maxSourceTokens, governor);
    }

    /// <summary>Ensemble members must read and write the same subwords: their tokenizer files must be identical.</summary>
    private static void RequireSameVocabularies(Checkpoint first, Checkpoint other)
    {
        foreach (string prefix in new[] { Checkpoint.SourcePrefix, Checkpoint.TargetPrefix })
        foreach (string name in new[] { BpeModel.VocabularyFileName, BpeModel.MergesFileName })
        {
            string file = prefix + name;
            if (!File.ReadAllBytes(Path.Combine(first.Directory, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(other.Directory, file))))
                throw InputException.In(Path.Combine(other.Directory, file),
                    $"differs from {Path.Combine(first.Directory, file)}: ensemble members must share their vocabularies (train them from one tokenizer folder, Tokenizer:Directory)");
        }
    }

    public void Dispose()
    {
        foreach (var model in Models) model.Dispose();
    }
}
