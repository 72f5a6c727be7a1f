using System.ComponentModel.DataAnnotations;

namespace Seq2Seq.Model;

/// <summary>
/// The shape of a BiLSTM-encoder / Bahdanau-attention decoder model. Stored in every checkpoint, so a
/// model can be rebuilt without the training configuration.
/// </summary>
public sealed class ModelConfig
{
    /// <summary>Filled in from the source tokenizer when training starts.</summary>
    [Range(0, 10_000_000)] public int SourceVocabularySize { get; set; }

    /// <summary>Filled in from the target tokenizer when training starts.</summary>
    [Range(0, 10_000_000)] public int TargetVocabularySize { get; set; }

    /// <summary>Size of source and target token embeddings.</summary>
    [Range(1, 65536)] public int EmbeddingSize { get; set; } = 256;

    /// <summary>LSTM size per direction of the bidirectional encoder (its outputs are twice this).</summary>
    [Range(1, 65536)] public int EncoderHiddenSize { get; set; } = 256;

    [Range(1, 16)] public int EncoderLayers { get; set; } = 1;

    [Range(1, 65536)] public int DecoderHiddenSize { get; set; } = 512;

    /// <summary>
    /// The decoder's recurrence: <c>bahdanau</c> (attention queried with the previous state, one LSTM over word and
    /// context) or <c>conditional</c> (an LSTM over the word, attention queried with its state, a second LSTM over the
    /// context; <see cref="ConditionalCell"/>).
    /// </summary>
    [RegularExpression("^(bahdanau|conditional)$", ErrorMessage = "Decoder must be bahdanau or conditional")]
    public string Decoder { get; set; } = BahdanauDecoder;

    public const string BahdanauDecoder = "bahdanau";
    public const string ConditionalDecoder = "conditional";

    /// <summary>Size of the additive attention's hidden layer (the length of v).</summary>
    [Range(1, 65536)] public int AttentionSize { get; set; } = 512;

    /// <summary>Size of the layer between decoder state and vocabulary projection; 0 means the embedding size.</summary>
    [Range(0, 65536)] public int PreOutputSize { get; set; }

    /// <summary>Dropout on embeddings, encoder outputs and the pre-output layer (each unless set by place below).</summary>
    [Range(0.0, 0.95)] public double Dropout { get; set; } = 0.3;

    /// <summary>Dropout on source and target embeddings; unset: <see cref="Dropout"/>.</summary>
    [Range(0.0, 0.95)] public double? EmbeddingDropout { get; set; }

    /// <summary>Dropout on the encoder states the decoder attends over and starts from; unset: <see cref="Dropout"/>.</summary>
    [Range(0.0, 0.95)] public double? EncoderStateDropout { get; set; }

    /// <summary>Dropout on the pre-output layer before the vocabulary projection; unset: <see cref="Dropout"/>.</summary>
    [Range(0.0, 0.95)] public double? PreOutputDropout { get; set; }

    /// <summary>Layer normalisation of the encoder states (each position over its 2·hidden features), as LIUM's recipes use.</summary>
    public bool EncoderLayerNorm { get; set; }

    /// <summary>Dropout between stacked encoder LSTM layers (only with 2+ layers).</summary>
    [Range(0.0, 0.95)] public double EncoderLayerDropout { get; set; }

    /// <summary>Share the target embedding matrix with the output projection (needs PreOutputSize = EmbeddingSize).</summary>
    public bool TieOutputEmbedding { get; set; }

    /// <summary>The pre-output size actually used.</summary>
    public int EffectivePreOutputSize => PreOutputSize > 0 ? PreOutputSize : EmbeddingSize;

    /// <summary>Width of each encoder state (both directions).</summary>
    public int EncoderOutputSize => 2 * EncoderHiddenSize;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first inconsistent setting.</summary>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
            throw new ArgumentException(string.Join("; ", results.Select(r => r.ErrorMessage)));
        if (Math.Min(SourceVocabularySize, TargetVocabularySize) <= Text.SpecialTokens.All.Count)
            throw new ArgumentException($"vocabulary sizes ({SourceVocabularySize}, {TargetVocabularySize}) must exceed the {Text.SpecialTokens.All.Count} special tokens");
        if (TieOutputEmbedding && EffectivePreOutputSize != EmbeddingSize)
            throw new ArgumentException($"TieOutputEmbedding needs PreOutputSize ({EffectivePreOutputSize}) equal to EmbeddingSize ({EmbeddingSize})");
    }

    public ModelConfig Clone() => (ModelConfig)MemberwiseClone();
}
