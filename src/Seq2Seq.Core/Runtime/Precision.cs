using Seq2Seq.IO;
using static TorchSharp.torch;

namespace Seq2Seq.Runtime;

/// <summary>
/// Numeric precision for running a model: <c>fp32</c> (default), <c>bf16</c> or <c>fp16</c>. Decoding in half
/// precision roughly halves memory traffic on GPUs; scores are still accumulated in single precision.
/// </summary>
internal static class Precision
{
    public static readonly string[] Names = ["fp32", "bf16", "fp16"];

    public static ScalarType Parse(string name) => name.ToLowerInvariant() switch
    {
        "fp32" or "float32" => ScalarType.Float32,
        "bf16" or "bfloat16" => ScalarType.BFloat16,
        "fp16" or "float16" or "half" => ScalarType.Float16,
        _ => throw new InputException($"unknown precision '{name}'; use {string.Join(", ", Names)}"),
    };

    /// <summary>
    /// Lets CUDA run single-precision matrix products on TF32 tensor cores (Ampere and newer): near-fp32
    /// accuracy for training at a fraction of the time. Has no effect on CPU.
    /// </summary>
    public static void AllowTensorFloat32(Device device, bool allow)
    {
        if (device.type != TorchSharp.DeviceType.CUDA) return;
        backends.cuda.matmul.allow_tf32 = allow;
        backends.cudnn.allow_tf32 = allow;
    }
}
