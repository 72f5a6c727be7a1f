using TorchSharp;
using Seq2Seq.Checkpoints;
using Seq2Seq.Inference;
using Seq2Seq.Model;
using Seq2Seq.Runtime;
using static TorchSharp.torch;

namespace Seq2Seq.Cli.Commands;

/// <summary>A checkpoint opened for inference on the chosen device.</summary>
public sealed class LoadedModel : IDisposable
{
    private LoadedModel(Checkpoint checkpoint, Seq2SeqModel model, Device device, int maxSourceTokens)
    {
        Checkpoint = checkpoint;
        Model = model;
        Device = device;
        Translator = new Translator(model, checkpoint.SourceTokenizer, checkpoint.TargetTokenizer, device) { MaxSourceTokens = maxSourceTokens };
    }

    public Checkpoint Checkpoint { get; }
    public Seq2SeqModel Model { get; }
    public Device Device { get; }
    public Translator Translator { get; }

    /// <summary>Opens <paramref name="path"/> after setting libtorch's CPU threads (null = all available cores).</summary>
    public static LoadedModel Open(DirectoryInfo path, string device, string precision = "fp32", int maxSourceTokens = Translator.DefaultMaxSourceTokens, int? threads = null)
    {
        CpuThreads.Apply(threads);
        var dtype = Runtime.Precision.Parse(precision);
        var checkpoint = Checkpoint.Open(path.FullName);
        var resolved = DeviceSelector.Resolve(device);
        var model = checkpoint.LoadModel(resolved);
        if (dtype != TorchSharp.torch.ScalarType.Float32) model.to(dtype);
        return new LoadedModel(checkpoint, model, resolved, maxSourceTokens);
    }

    public void Dispose() => Model.Dispose();
}
