namespace Seq2Seq.Inspection;

/// <summary>
/// Saves attention heatmaps in the format the file extension names: <c>.png</c> (<see cref="HeatmapPng"/>),
/// <c>.svg</c> (<see cref="HeatmapSvg"/>) or <c>.html</c> (<see cref="HeatmapHtml"/>, interactive). Files are
/// written atomically: through <c>path + ".tmp"</c> in the same folder, renamed over the target when complete.
/// </summary>
public static class AttentionPlot
{
    private const string Formats = "use .png, .svg or .html";

    /// <summary>
    /// Writes the heatmap of one sentence. Throws <see cref="ArgumentException"/> for an unknown extension
    /// (before anything is written).
    /// </summary>
    public static void Save(AttentionMatrix matrix, string path)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        switch (FormatOf(path))
        {
            case ".png": HeatmapPng.Save(matrix, path); break;
            case ".svg": HeatmapSvg.Save(matrix, path); break;
            default: HeatmapHtml.Save(matrix, path); break;
        }
    }

    /// <summary>
    /// Writes the heatmaps of several sentences: one page with a sentence selector for <c>.html</c>. A PNG or
    /// SVG holds one sentence, so for those exactly one is accepted.
    /// </summary>
    public static void Save(IReadOnlyList<AttentionMatrix> sentences, string path)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        string format = FormatOf(path);
        if (sentences.Count == 0) throw new ArgumentException("there is no sentence to draw");
        if (format == ".html") HeatmapHtml.Save(sentences, path);
        else if (sentences.Count == 1) Save(sentences[0], path);
        else throw new ArgumentException($"a {format} file holds one sentence but {sentences.Count} were given; use .html for several sentences");
    }

    private static string FormatOf(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".png" or ".svg" or ".html" => extension,
            ".htm" => ".html",
            "" => throw new ArgumentException($"the heatmap file name has no extension; {Formats}"),
            _ => throw new ArgumentException($"unknown heatmap format \"{extension}\"; {Formats}"),
        };
    }
}
