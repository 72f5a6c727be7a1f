using System.Text;

namespace Seq2Seq.Text;

/// <summary>A learned BPE model: the vocabulary in id order and the merges in priority order.</summary>
internal sealed record BpeModel(IReadOnlyList<string> Vocabulary, IReadOnlyList<(string Left, string Right)> Merges)
{
    public const string VocabularyFileName = "vocab.json";
    public const string MergesFileName = "merges.txt";

    /// <summary>Writes <c>vocab.json</c> and <c>merges.txt</c> into <paramref name="directory"/> (atomically each).</summary>
    public void Save(string directory, string prefix = "")
    {
        Directory.CreateDirectory(directory);
        var json = new StringBuilder("{\n");
        for (int id = 0; id < Vocabulary.Count; id++)
            json.Append("  ").Append(System.Text.Json.JsonSerializer.Serialize(Vocabulary[id])).Append(": ").Append(id)
                .Append(id + 1 < Vocabulary.Count ? ",\n" : "\n");
        json.Append('}');
        IO.AtomicFile.WriteAllText(Path.Combine(directory, prefix + VocabularyFileName), json.ToString());
        var merges = new StringBuilder("#version: 0.2\n");
        foreach (var (left, right) in Merges)
            merges.Append(left).Append(' ').Append(right).Append('\n');
        IO.AtomicFile.WriteAllText(Path.Combine(directory, prefix + MergesFileName), merges.ToString());
    }
}
