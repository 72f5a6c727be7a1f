using System.ComponentModel.DataAnnotations;

namespace Seq2Seq.Training;

/// <summary>Configuration section <c>Data</c>: where the corpora are and which pairs to keep.</summary>
public sealed class DataOptions
{
    public const string Section = "Data";

    /// <summary>Training corpus: a path prefix completed by the language codes (<c>train</c> → <c>train.en</c>, <c>train.de</c>, optionally .gz) or a .tsv file.</summary>
    [Required] public string Train { get; set; } = "";

    /// <summary>Validation corpus, in the same form as <see cref="Train"/>.</summary>
    [Required] public string Valid { get; set; } = "";

    [Required] public string SourceLanguage { get; set; } = "";
    [Required] public string TargetLanguage { get; set; } = "";

    /// <summary>Training pairs with more subword tokens than this on the source side are dropped.</summary>
    [Range(1, 100_000)] public int MaxSourceLength { get; set; } = 100;

    /// <summary>Training pairs with more subword tokens than this on the target side are dropped.</summary>
    [Range(1, 100_000)] public int MaxTargetLength { get; set; } = 100;

    /// <summary>Training pairs whose longer side is more than this many times the shorter are dropped (0 = keep all).</summary>
    [Range(0.0, 1000.0)] public double MaxLengthRatio { get; set; } = 3.0;
}
