using Seq2Seq.Model;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Support;

/// <summary>Small randomly initialised models for numeric tests (fast on CPU, deterministic by seed).</summary>
internal static class TinyModels
{
    public static ModelConfig Config(int vocabulary = 24, double dropout = 0.0, string decoder = ModelConfig.BahdanauDecoder) => new()
    {
        Decoder = decoder,
        SourceVocabularySize = vocabulary,
        TargetVocabularySize = vocabulary,
        EmbeddingSize = 16,
        EncoderHiddenSize = 12,
        DecoderHiddenSize = 20,
        AttentionSize = 10,
        Dropout = dropout,
    };

    public static Seq2SeqModel Create(int seed = 7, ModelConfig? config = null)
    {
        // libtorch's generator is global: two tests creating models at once would interleave their draws.
        lock (Seeding)
        {
            manual_seed(seed);
            var model = new Seq2SeqModel(config ?? Config());
            model.eval();
            return model;
        }
    }

    private static readonly object Seeding = new();

    /// <summary>Random id sequences that avoid the special tokens (ids 0-3).</summary>
    public static List<int[]> RandomSequences(int count, int minLength, int maxLength, int vocabulary, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => Enumerable.Range(0, random.Next(minLength, maxLength + 1)).Select(_ => random.Next(4, vocabulary)).ToArray())
            .ToList();
    }
}
