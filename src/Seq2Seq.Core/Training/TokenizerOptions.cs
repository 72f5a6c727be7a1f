using System.ComponentModel.DataAnnotations;

namespace Seq2Seq.Training;

/// <summary>Configuration section <c>Tokenizer</c>: the subword vocabularies a run learns or reuses.</summary>
public sealed class TokenizerOptions
{
    public const string Section = "Tokenizer";

    /// <summary>A folder written by <c>seq2seq prepare</c> to reuse; empty means learn BPE from the training data.</summary>
    public string Directory { get; set; } = "";

    /// <summary>Vocabulary size per side (special tokens included) when learning BPE.</summary>
    [Range(16, 1_000_000)] public int VocabSize { get; set; } = 8000;

    /// <summary>Learn one vocabulary from both languages (shared subwords help names and numbers).</summary>
    public bool Joint { get; set; } = true;

    /// <summary>
    /// Split punctuation from the words it is glued to before learning BPE (reversibly, with a joiner mark:
    /// <c>windows.</c> → <c>windows ￭.</c>), so the vocabulary does not spend entries on <c>s.</c> beside <c>s</c>.
    /// The learned vocabulary remembers it: translating needs no setting.
    /// </summary>
    public bool SplitPunctuation { get; set; }

    /// <summary>Pairs seen fewer times than this are never merged.</summary>
    [Range(1, 1_000_000)] public int MinFrequency { get; set; } = 2;
}
