using Microsoft.Extensions.Logging.Abstractions;
using Seq2Seq.Checkpoints;
using Seq2Seq.Model;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Support;

/// <summary>A reverse-the-words task: small enough to learn in seconds, hard enough to need attention.</summary>
internal static class TinyRuns
{
    private static readonly string[] Words = "ab cd ef gh ij kl mn op qr st uv wx".Split(' ');

    public static List<(string Source, string Target)> ReversePairs(int count, int seed, int minWords = 2, int maxWords = 6)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var words = Enumerable.Range(0, random.Next(minWords, maxWords + 1)).Select(_ => Words[random.Next(Words.Length)]).ToArray();
            return (string.Join(' ', words), string.Join(' ', words.Reverse()));
        }).ToList();
    }

    /// <summary>Writes train/valid files for the reverse task into <paramref name="dir"/> and returns a setup for a run in <c>run/</c>.</summary>
    public static TrainingSetup ReverseTask(TempDirectory dir, int trainPairs = 1500, int maxEpochs = 4, int seed = 1,
        string decoder = ModelConfig.BahdanauDecoder)
    {
        var train = ReversePairs(trainPairs, seed: 100 + seed);
        var valid = ReversePairs(60, seed: 200 + seed);
        dir.WriteLines("data/train.src", train.Select(p => p.Source));
        dir.WriteLines("data/train.tgt", train.Select(p => p.Target));
        dir.WriteLines("data/valid.src", valid.Select(p => p.Source));
        dir.WriteLines("data/valid.tgt", valid.Select(p => p.Target));
        return new TrainingSetup(
            new TrainingOptions
            {
                Seed = seed, Device = "cpu", MaxEpochs = maxEpochs, BatchTokens = 400, LearningRate = 0.005,
                ValidateEvery = 0, KeepCheckpoints = 2, ReportSeconds = 1000,
                // A fixed count: the adaptive one follows the machine's load, and tests compare runs bit for bit.
                Threads = Environment.ProcessorCount,
            },
            new DataOptions { Train = dir.File("data/train"), Valid = dir.File("data/valid"), SourceLanguage = "src", TargetLanguage = "tgt" },
            new TokenizerOptions { VocabSize = 40, Joint = true },
            new ModelConfig { EmbeddingSize = 24, EncoderHiddenSize = 24, DecoderHiddenSize = 48, AttentionSize = 24, Dropout = 0.0, Decoder = decoder },
            dir.File("run"));
    }

    public static TrainingOutcome Train(TrainingSetup setup, bool resume = false, CancellationToken cancellation = default) =>
        new Trainer(setup, NullLogger.Instance).Run(resume, cancellation);
}
