using System.Buffers.Binary;
using System.Text.Json;
using Seq2Seq.Checkpoints;
using Seq2Seq.IO;
using Seq2Seq.Tests.Support;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Checkpoints;

public class SafeTensorsTests
{
    [Fact]
    public void Writes_the_standard_layout_and_reads_it_back()
    {
        using var dir = new TempDirectory();
        using var a = arange(6, dtype: float32).reshape(2, 3);
        using var b = tensor(new float[] { 1.5f });
        string path = dir.File("w.safetensors");
        SafeTensors.Save(new Dictionary<string, Tensor> { ["b"] = b, ["a"] = a }, path);

        byte[] bytes = File.ReadAllBytes(path);
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        Assert.Equal("[0,24]", header.RootElement.GetProperty("a").GetProperty("data_offsets").GetRawText());
        Assert.Equal("[2,3]", header.RootElement.GetProperty("a").GetProperty("shape").GetRawText());
        Assert.Equal(8 + headerLength + 28, bytes.Length);

        using var a2 = zeros(2, 3);
        using var b2 = zeros(1);
        SafeTensors.LoadInto(path, new Dictionary<string, Tensor> { ["a"] = a2, ["b"] = b2 });
        Assert.True(a2.eq(a).all().item<bool>());
        Assert.True(b2.eq(b).all().item<bool>());
    }

    [Fact]
    public void Shape_mismatch_names_the_tensor()
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.safetensors");
        using var a = zeros(2, 3);
        SafeTensors.Save(new Dictionary<string, Tensor> { ["layer.weight"] = a }, path);
        using var wrong = zeros(3, 2);
        var error = Assert.Throws<InputException>(() => SafeTensors.LoadInto(path, new Dictionary<string, Tensor> { ["layer.weight"] = wrong }));
        Assert.Contains("'layer.weight' has shape [2, 3] but the model expects [3, 2]", error.Message);
    }

    [Fact]
    public void Truncated_files_are_rejected()
    {
        using var dir = new TempDirectory();
        string path = dir.File("w.safetensors");
        using var a = ones(100);
        SafeTensors.Save(new Dictionary<string, Tensor> { ["a"] = a }, path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        using var target = zeros(100);
        var error = Assert.Throws<InputException>(() => SafeTensors.LoadInto(path, new Dictionary<string, Tensor> { ["a"] = target }));
        Assert.Contains("truncated", error.Message);
        File.WriteAllBytes(path, bytes[..5]);
        Assert.Throws<InputException>(() => SafeTensors.LoadInto(path, new Dictionary<string, Tensor> { ["a"] = target }));
    }
}
