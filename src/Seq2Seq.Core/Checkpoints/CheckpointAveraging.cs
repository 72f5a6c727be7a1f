using System.Text.Json;
using Seq2Seq.IO;
using Seq2Seq.Text;
using static TorchSharp.torch;

namespace Seq2Seq.Checkpoints;

/// <summary>
/// Averages the weights of several checkpoints of one run (typically the last few) into a new checkpoint.
/// The average of nearby points on the training trajectory usually translates better than any one of them.
/// </summary>
internal static class CheckpointAveraging
{
    /// <summary>Writes the element-wise mean of <paramref name="checkpoints"/> to the new folder <paramref name="output"/>.</summary>
    public static string Average(IReadOnlyList<string> checkpoints, string output)
    {
        if (checkpoints.Count == 0) throw new InputException("no checkpoints to average");
        output = Path.GetFullPath(output);
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw InputException.In(output, "exists and is not empty; choose a new folder for the averaged checkpoint");
        var opened = checkpoints.Select(Checkpoint.Open).ToList();
        var first = opened[0];
        foreach (var other in opened.Skip(1)) CheckCompatible(first, other);

        using var scope = NewDisposeScope();
        using var average = first.LoadModel(CPU);
        var sums = average.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().to(float64));
        foreach (var other in opened.Skip(1))
        {
            using var model = other.LoadModel(CPU);
            foreach (var (name, tensor) in model.state_dict()) sums[name].add_(tensor.detach().to(float64));
        }
        using (no_grad())
        {
            // Tied matrices appear under two names; copying the same mean into both is harmless.
            foreach (var (name, tensor) in average.state_dict()) tensor.copy_(sums[name].div_(opened.Count).to(tensor.dtype));
        }

        string temp = $"{output}.tmp-{Guid.NewGuid():N}";
        Directory.CreateDirectory(temp);
        try
        {
            Checkpoint.WriteModel(temp, average, first.Directory);
            CheckpointManifest.Write(temp, opened.Max(c => c.Manifest.Step));
            if (Directory.Exists(output)) Directory.Delete(output);
            Directory.Move(temp, output);
        }
        catch
        {
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
            throw;
        }
        return output;
    }

    private static void CheckCompatible(Checkpoint first, Checkpoint other)
    {
        if (JsonSerializer.Serialize(first.Config) != JsonSerializer.Serialize(other.Config))
            throw InputException.In(other.Directory, $"has a different model configuration than {first.Directory}; only checkpoints of one model can be averaged");
        foreach (string prefix in new[] { Checkpoint.SourcePrefix, Checkpoint.TargetPrefix })
            foreach (string file in new[] { BpeModel.VocabularyFileName, BpeModel.MergesFileName })
                if (!File.ReadAllBytes(Path.Combine(first.Directory, prefix + file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(other.Directory, prefix + file))))
                    throw InputException.In(Path.Combine(other.Directory, prefix + file), $"differs from the one in {first.Directory}; only checkpoints with the same tokenizers can be averaged");
    }
}
