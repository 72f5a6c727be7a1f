using System.Text.Json;
using System.Text.Json.Nodes;
using Seq2Seq.IO;

namespace Seq2Seq.Checkpoints;

/// <summary>
/// The folder of one training run:
/// <c>config.json</c>, <c>tokenizer/</c>, <c>checkpoints/step-NNNNNNNN/</c> (immutable, self-contained),
/// the pointer files <c>last.json</c> and <c>best.json</c> naming a checkpoint, and <c>tensorboard/</c> (event files).
/// A checkpoint is written into a hidden temporary folder and renamed into place only when complete, and a
/// pointer is replaced atomically only after that, so a crash at any instant leaves every pointer naming a
/// complete checkpoint.
/// </summary>
internal sealed class RunDirectory(string root)
{
    public const string LastPointer = "last";
    public const string BestPointer = "best";
    private const string TempPrefix = ".tmp-";

    public string Root { get; } = Path.GetFullPath(root);
    public string TokenizerDirectory => Path.Combine(Root, "tokenizer");
    public string CheckpointsDirectory => Path.Combine(Root, "checkpoints");
    public string ConfigFile => Path.Combine(Root, "config.json");

    /// <summary>TensorBoard event files, one per training process: <c>tensorboard --logdir</c> this folder.</summary>
    public string TensorBoardDirectory => Path.Combine(Root, "tensorboard");

    /// <summary>The checkpoint a pointer names, or null when the pointer does not exist.</summary>
    public string? Pointer(string name)
    {
        string file = Path.Combine(Root, name + ".json");
        if (!File.Exists(file)) return null;
        try
        {
            string? relative = JsonNode.Parse(File.ReadAllText(file))?["checkpoint"]?.GetValue<string>();
            if (string.IsNullOrEmpty(relative)) throw InputException.In(file, "names no checkpoint");
            return Path.GetFullPath(Path.Combine(Root, relative));
        }
        catch (JsonException e) { throw InputException.In(file, $"is corrupt: {e.Message}"); }
    }

    /// <summary>Makes pointer <paramref name="name"/> name <paramref name="checkpoint"/> (atomically).</summary>
    public void SetPointer(string name, string checkpoint, JsonObject? details = null)
    {
        var content = details?.DeepClone().AsObject() ?? [];
        content["checkpoint"] = Path.GetRelativePath(Root, checkpoint).Replace('\\', '/');
        AtomicFile.WriteAllText(Path.Combine(Root, name + ".json"), content.ToJsonString(JsonDefaults.Indented));
    }

    /// <summary>
    /// Writes a new checkpoint for <paramref name="step"/>: <paramref name="writeFiles"/> fills a temporary
    /// folder, the manifest is added, and the folder is renamed into place. Returns its final path.
    /// </summary>
    public string CreateCheckpoint(long step, Action<string> writeFiles)
    {
        Directory.CreateDirectory(CheckpointsDirectory);
        string temp = Path.Combine(CheckpointsDirectory, $"{TempPrefix}{step:D8}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            writeFiles(temp);
            CheckpointManifest.Write(temp, step);
            string final = Path.Combine(CheckpointsDirectory, $"step-{step:D8}");
            for (int n = 2; Directory.Exists(final); n++)
                final = Path.Combine(CheckpointsDirectory, $"step-{step:D8}-{n}");
            Directory.Move(temp, final);
            return final;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> checkpoints, never one a pointer names, and stale temporary folders.</summary>
    public void Prune(int keep)
    {
        if (!Directory.Exists(CheckpointsDirectory)) return;
        var pinned = new[] { Pointer(LastPointer), Pointer(BestPointer) }.OfType<string>().ToHashSet();
        var all = Directory.GetDirectories(CheckpointsDirectory).Order(StringComparer.Ordinal).ToList();
        foreach (string stale in all.Where(d => Path.GetFileName(d).StartsWith(TempPrefix, StringComparison.Ordinal)))
            TryDelete(stale);
        var complete = all.Where(d => !Path.GetFileName(d).StartsWith(TempPrefix, StringComparison.Ordinal)).ToList();
        foreach (string old in complete.Take(Math.Max(0, complete.Count - keep)).Where(d => !pinned.Contains(d)))
            TryDelete(old);
    }

    /// <summary>The newest <paramref name="count"/> complete checkpoints, oldest first.</summary>
    public IReadOnlyList<string> RecentCheckpoints(int count) =>
        !Directory.Exists(CheckpointsDirectory) ? [] :
        Directory.GetDirectories(CheckpointsDirectory)
            .Where(d => !Path.GetFileName(d).StartsWith(TempPrefix, StringComparison.Ordinal)
                && File.Exists(Path.Combine(d, CheckpointManifest.FileName)))
            .Order(StringComparer.Ordinal).TakeLast(count).ToList();

    /// <summary>
    /// Turns a user's <c>--model</c> path into a checkpoint folder: a folder with a manifest is one; a run
    /// folder means its best checkpoint, or its last when it has no best yet.
    /// </summary>
    public static string ResolveCheckpoint(string path)
    {
        if (!Directory.Exists(path)) throw InputException.In(path, "model folder not found");
        if (File.Exists(Path.Combine(path, CheckpointManifest.FileName))) return Path.GetFullPath(path);
        var run = new RunDirectory(path);
        return run.Pointer(BestPointer) ?? run.Pointer(LastPointer)
            ?? throw InputException.In(path, $"is not a checkpoint or a training run (no {CheckpointManifest.FileName}, best.json or last.json)");
    }

    private static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
