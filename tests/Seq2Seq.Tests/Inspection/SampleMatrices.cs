using Seq2Seq.Inspection;

namespace Seq2Seq.Tests.Inspection;

/// <summary>Hand-made attention matrices whose word-level values, alignments and coverage are worked out by hand.</summary>
public static class SampleMatrices
{
    /// <summary>"ein rotes Haus" → "a red house", with "ro|tes" and "hou|se" split into pieces.</summary>
    public static AttentionMatrix RedHouse() => new(
        ["ein</w>", "ro", "tes</w>", "Haus</w>", "</s>"],
        ["a</w>", "red</w>", "hou", "se</w>", "</s>"],
        new float[,]
        {
            { 0.7f, 0.1f, 0.0f, 0.1f, 0.1f }, // a
            { 0.1f, 0.4f, 0.3f, 0.1f, 0.1f }, // red
            { 0.0f, 0.1f, 0.1f, 0.6f, 0.2f }, // hou
            { 0.1f, 0.0f, 0.1f, 0.7f, 0.1f }, // se
            { 0.0f, 0.0f, 0.0f, 0.2f, 0.8f }, // </s>
        });

    /// <summary>
    /// "der Hund bellt laut" → "the dog dog dog barks": "Hund" is translated three times (receives 2.85)
    /// and "laut" is dropped (receives 0.05 from the real words; the 0.5 of the &lt;/s&gt; row does not count).
    /// </summary>
    public static AttentionMatrix BarkingDog() => new(
        ["der</w>", "Hund</w>", "bellt</w>", "laut</w>", "</s>"],
        ["the</w>", "dog</w>", "dog</w>", "dog</w>", "barks</w>", "</s>"],
        new float[,]
        {
            { 0.90f, 0.05f, 0.00f, 0.00f, 0.05f },
            { 0.05f, 0.90f, 0.00f, 0.00f, 0.05f },
            { 0.00f, 0.90f, 0.05f, 0.00f, 0.05f },
            { 0.00f, 0.90f, 0.05f, 0.00f, 0.05f },
            { 0.00f, 0.10f, 0.80f, 0.05f, 0.05f },
            { 0.00f, 0.00f, 0.00f, 0.50f, 0.50f },
        });

    /// <summary>
    /// A rows × cols matrix (source/target pieces s0..., t0..., the last source being &lt;/s&gt;) with
    /// <paramref name="peak"/> at (<paramref name="strongT"/>, <paramref name="strongS"/>), 0 at (0, 0) when that
    /// is another cell, and the rest of each row spread evenly.
    /// </summary>
    public static AttentionMatrix OnePeak(int rows, int cols, int strongT, int strongS, float peak = 0.94f)
    {
        var weights = new float[rows, cols];
        for (int t = 0; t < rows; t++)
        {
            for (int s = 0; s < cols; s++)
            {
                if (t == strongT)
                    weights[t, s] = s == strongS ? peak : (1 - peak) / (cols - 1);
                else if (t == 0)
                    weights[t, s] = s == 0 ? 0 : 1f / (cols - 1);
                else
                    weights[t, s] = 1f / cols;
            }
        }
        var source = Enumerable.Range(0, cols).Select(s => s == cols - 1 ? "</s>" : $"s{s}</w>").ToArray();
        var target = Enumerable.Range(0, rows).Select(t => $"t{t}</w>").ToArray();
        return new AttentionMatrix(source, target, weights);
    }

    public static float[] Row(AttentionMatrix matrix, int t) =>
        [.. Enumerable.Range(0, matrix.SourceTokens.Count).Select(s => matrix.Weights[t, s])];
}
