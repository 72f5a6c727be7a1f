namespace Seq2Seq.Model;

/// <summary>
/// Matrix-multiply FLOPs of the model (2·m·n·k per product), counted from the configuration's shapes, for
/// model-FLOPs utilisation: (FLOPs per second achieved) ÷ (sgemm FLOPs per second of the machine).
/// Element-wise work (tanh, softmax, gates) is not counted, as is usual for MFU.
/// </summary>
internal static class ModelFlops
{
    /// <summary>Forward-pass FLOPs of the encoder for <paramref name="sentences"/> sources of <paramref name="sourceLength"/> tokens (EOS included).</summary>
    public static double Encoder(ModelConfig c, long sentences, long sourceLength)
    {
        double tokens = sentences * sourceLength;
        double total = 0;
        for (int layer = 0; layer < c.EncoderLayers; layer++)
        {
            int input = layer == 0 ? c.EmbeddingSize : c.EncoderOutputSize;
            total += 2 * 2 * tokens * (input + c.EncoderHiddenSize) * 4 * c.EncoderHiddenSize; // two directions
        }
        total += 2 * tokens * c.EncoderOutputSize * c.AttentionSize;                   // attention keys U·H
        total += 2 * sentences * (double)c.EncoderOutputSize * c.DecoderHiddenSize;    // bridge
        return total;
    }

    /// <summary>Forward FLOPs of one decoder step for <paramref name="rows"/> hypotheses over <paramref name="sourceLength"/> source positions.</summary>
    public static double DecoderStep(ModelConfig c, long rows, long sourceLength)
    {
        double n = rows;
        double attention = 2 * n * c.DecoderHiddenSize * c.AttentionSize       // W·s
            + 2 * n * sourceLength * c.AttentionSize                            // vᵀ tanh(...)
            + 2 * n * sourceLength * c.EncoderOutputSize;                       // weights · H
        double cell = 2 * n * (c.EmbeddingSize + c.EncoderOutputSize + c.DecoderHiddenSize) * 4 * c.DecoderHiddenSize;
        if (c.Decoder == ModelConfig.ConditionalDecoder) cell += 2 * n * c.DecoderHiddenSize * 4 * c.DecoderHiddenSize;   // the second transition's W_hh
        double output = 2 * n * (c.DecoderHiddenSize + c.EncoderOutputSize + c.EmbeddingSize) * c.EffectivePreOutputSize
            + 2 * n * c.EffectivePreOutputSize * c.TargetVocabularySize;
        return attention + cell + output;
    }

    /// <summary>Forward FLOPs of a teacher-forced batch.</summary>
    public static double Forward(ModelConfig c, long sentences, long sourceLength, long targetLength) =>
        Encoder(c, sentences, sourceLength) + targetLength * DecoderStep(c, sentences, sourceLength);

    /// <summary>Training FLOPs of a batch: forward plus backward, conventionally three times the forward.</summary>
    public static double Training(ModelConfig c, long sentences, long sourceLength, long targetLength) =>
        3 * Forward(c, sentences, sourceLength, targetLength);
}
