using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Seq2Seq.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Checkpoints;

/// <summary>
/// Reads and writes float32 tensors in the safetensors format (an 8-byte header length, a JSON header of
/// names, shapes and byte ranges, then raw little-endian data). It holds only numbers, so loading can never
/// run code, and the weights open directly in PyTorch, JAX or Hugging Face tooling.
/// </summary>
internal static class SafeTensors
{
    private const long MaxHeaderBytes = 100_000_000;

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> tensors, string path)
    {
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var header = new JsonObject();
        long offset = 0;
        foreach (string name in names)
        {
            var t = tensors[name];
            if (t.dtype != ScalarType.Float32) throw new ArgumentException($"tensor {name} is {t.dtype}; only float32 is stored");
            long bytes = t.numel() * sizeof(float);
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
            stream.Write(length);
            stream.Write(headerBytes);
            foreach (string name in names)
            {
                using var cpu = tensors[name].detach().cpu().contiguous();
                stream.Write(MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
            }
        });
    }

    /// <summary>
    /// Copies the tensors stored in <paramref name="path"/> into <paramref name="targets"/>, which must match
    /// them exactly in names and shapes; anything else is an <see cref="InputException"/> naming the tensor.
    /// </summary>
    public static void LoadInto(string path, IReadOnlyDictionary<string, Tensor> targets)
    {
        byte[] file;
        try { file = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw InputException.In(path, TextLines.Describe(e)); }
        var entries = ReadHeader(file, path, out int dataStart);
        foreach (var missing in targets.Keys.Except(entries.Keys))
            throw InputException.In(path, $"has no tensor '{missing}' that the model needs (was it saved by a different model?)");
        foreach (var extra in entries.Keys.Except(targets.Keys))
            throw InputException.In(path, $"has a tensor '{extra}' that the model does not have (was it saved by a different model?)");
        using var noGrad = torch.no_grad();
        foreach (var (name, target) in targets)
        {
            var (shape, begin, end) = entries[name];
            if (!shape.SequenceEqual(target.shape))
                throw InputException.In(path, $"tensor '{name}' has shape [{string.Join(", ", shape)}] but the model expects [{string.Join(", ", target.shape)}]");
            if (end - begin != target.numel() * sizeof(float) || dataStart + end > file.Length)
                throw InputException.In(path, $"tensor '{name}' is truncated or has a wrong byte range");
            var values = MemoryMarshal.Cast<byte, float>(file.AsSpan((int)(dataStart + begin), (int)(end - begin))).ToArray();
            using var source = torch.tensor(values, shape);
            target.copy_(source);
        }
    }

    private static Dictionary<string, (long[] Shape, long Begin, long End)> ReadHeader(byte[] file, string path, out int dataStart)
    {
        if (file.Length < 8) throw InputException.In(path, "is truncated (shorter than a safetensors header)");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes || 8 + (long)headerLength > file.Length)
            throw InputException.In(path, "is not a safetensors file or is truncated (bad header length)");
        dataStart = 8 + (int)headerLength;
        var result = new Dictionary<string, (long[], long, long)>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__") continue;
                var entry = property.Value;
                if (entry.GetProperty("dtype").GetString() != "F32")
                    throw InputException.In(path, $"tensor '{property.Name}' is not float32");
                long[] shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                long[] range = entry.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                if (range.Length != 2 || range[0] < 0 || range[1] < range[0])
                    throw InputException.In(path, $"tensor '{property.Name}' has an invalid byte range");
                result[property.Name] = (shape, range[0], range[1]);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw InputException.In(path, $"has a malformed safetensors header: {e.Message}");
        }
        return result;
    }
}
