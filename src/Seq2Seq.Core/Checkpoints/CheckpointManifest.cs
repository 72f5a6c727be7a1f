using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Seq2Seq.IO;

namespace Seq2Seq.Checkpoints;

/// <summary>
/// The last file written into a checkpoint folder: the format version and a SHA-256 of every other file.
/// A folder without a valid manifest, or whose files do not match it, is not a usable checkpoint.
/// </summary>
internal sealed class CheckpointManifest
{
    public const string FileName = "manifest.json";
    public const string FormatName = "seq2seq-checkpoint";
    public const int CurrentVersion = 1;

    [JsonPropertyName("format")] public string Format { get; set; } = FormatName;
    [JsonPropertyName("version")] public int Version { get; set; } = CurrentVersion;
    [JsonPropertyName("step")] public long Step { get; set; }
    [JsonPropertyName("created_utc")] public DateTime CreatedUtc { get; set; }
    [JsonPropertyName("files")] public Dictionary<string, string> Files { get; set; } = [];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Hashes every file of <paramref name="directory"/> and writes the manifest (atomically).</summary>
    public static void Write(string directory, long step)
    {
        var manifest = new CheckpointManifest { Step = step, CreatedUtc = DateTime.UtcNow };
        foreach (string file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file);
            if (name == FileName || name.StartsWith('.')) continue;
            manifest.Files[name] = Hash(file);
        }
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(manifest, Indented));
    }

    /// <summary>Reads and checks the manifest of <paramref name="directory"/> and the files it lists.</summary>
    public static CheckpointManifest Verify(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw InputException.In(directory, $"is not a checkpoint: {FileName} is missing");
        CheckpointManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(path)); }
        catch (JsonException e) { throw InputException.In(path, $"is corrupt: {e.Message}"); }
        if (manifest is null || manifest.Format != FormatName)
            throw InputException.In(path, $"is not a {FormatName} manifest");
        if (manifest.Version > CurrentVersion)
            throw InputException.In(path, $"was written by a newer Seq2Seq (format version {manifest.Version}; this build reads up to {CurrentVersion})");
        foreach (var (name, hash) in manifest.Files)
        {
            string file = Path.Combine(directory, name);
            if (!File.Exists(file)) throw InputException.In(file, "is missing from the checkpoint");
            if (Hash(file) != hash) throw InputException.In(file, "is corrupt or truncated (its SHA-256 does not match the checkpoint manifest)");
        }
        return manifest;
    }

    private static string Hash(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
