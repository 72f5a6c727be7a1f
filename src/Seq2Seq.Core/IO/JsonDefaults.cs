using System.Text.Json;

namespace Seq2Seq.IO;

/// <summary>Shared serializer settings, so every JSON file the toolkit writes looks the same.</summary>
internal static class JsonDefaults
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>One object per line (JSONL) with non-ASCII text kept readable.</summary>
    public static readonly JsonSerializerOptions Line = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
