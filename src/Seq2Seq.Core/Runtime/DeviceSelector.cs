using Seq2Seq.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Runtime;

/// <summary>Turns <c>--device auto|cpu|cuda[:N]</c> into a TorchSharp device, with a clear error when CUDA is asked for but absent.</summary>
internal static class DeviceSelector
{
    public static Device Resolve(string name)
    {
        switch (name.Trim().ToLowerInvariant())
        {
            case "auto":
                return torch.cuda.is_available() ? CUDA : CPU;
            case "cpu":
                return CPU;
            case var cuda when cuda == "cuda" || cuda.StartsWith("cuda:", StringComparison.Ordinal):
                if (!torch.cuda.is_available())
                    throw new InputException($"--device {name}: CUDA is not available in this build or on this machine " +
                        "(build with -p:TorchDevice=cuda on a machine with an NVIDIA GPU; see README)");
                return new Device(cuda);
            default:
                throw new InputException($"--device {name}: expected auto, cpu, cuda or cuda:N");
        }
    }
}
