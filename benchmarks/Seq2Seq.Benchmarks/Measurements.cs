using System.Diagnostics;
using Seq2Seq.Data;
using Seq2Seq.Inference;
using Seq2Seq.Model;
using Seq2Seq.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Benchmarks;

/// <summary>
/// The measures, in one process: sgemm peak first, then training and decoding throughput of the reference
/// configuration (embedding 256, BiLSTM 2×256, decoder 512, attention 512, vocabulary 8,000, 64 sentences).
/// </summary>
internal sealed class Measurements(Effort effort, TextWriter output)
{
    internal const int Sentences = 64;
    internal const int Length = 14;
    internal static readonly ModelConfig Reference = new()
    {
        SourceVocabularySize = 8000, TargetVocabularySize = 8000, EmbeddingSize = 256, EncoderHiddenSize = 256,
        EncoderLayers = 1, DecoderHiddenSize = 512, AttentionSize = 512, PreOutputSize = 512, Dropout = 0.1,
    };

    private PeakMeter _peak = null!;

    public void RunAll()
    {
        Report("threads", get_num_threads());
        using var peak = new PeakMeter(effort.SgemmRepeats);
        _peak = peak;
        manual_seed(1);
        using (var model = new Seq2SeqModel(Reference)) Train(model);
        // Decoding runs on a fresh random model: it does not emit EOS, so every output has the intended length
        // (a model trained on the benchmark's random batches learns to stop early and would flatter the figures).
        manual_seed(2);
        using var decoder = new Seq2SeqModel(Reference);
        Decode(decoder, beam: 1, "decode_beam1");
        Decode(decoder, beam: 5, "decode_beam5");
        Report("length_scaling_ratio", SecondsPerToken(decoder, 60) / SecondsPerToken(decoder, 5));
        Report("beam_scaling_ratio", DecodeSeconds(decoder, 10, Length) / (10 * DecodeSeconds(decoder, 1, Length)));
        // An ensemble runs every member at every step: about twice the time for two (reported as sentences/s).
        manual_seed(3);
        using (var second = new Seq2SeqModel(Reference)) Decode(new Ensemble([decoder, second]), beam: 5, "decode_beam5_ensemble2");
        Report("peak_rss_mb", Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0);
        // The peak was sampled before and after every MFU figure; its spread says how noisy the machine was.
        Report("sgemm_gflops", Statistics.Median(peak.Samples) / 1e9);
        Report("sgemm_gflops_min", peak.Samples.Min() / 1e9);
        Report("sgemm_gflops_max", peak.Samples.Max() / 1e9);
        Report("sgemm_samples", peak.Samples.Count);
    }

    private void Report(string name, double value) => output.WriteLine($"{name} {value:0.###}");

    private void Train(Seq2SeqModel model)
    {
        using var optimizer = TrainingStep.CreateOptimizer(model, 1e-4, 0);
        var step = new TrainingStep(model, optimizer, labelSmoothing: 0.1, clipNorm: 1.0, seed: 1);
        var batches = Enumerable.Range(0, 4).Select(i => SyntheticBatch(Length, Length, seed: i)).ToList();
        for (int i = 0; i < effort.TrainWarmup; i++) step.Run(batches[i % batches.Count], 1e-4, i + 1);
        double seconds = 0;
        double mfu = _peak.Utilisation(() =>
        {
            var times = new List<double>();
            for (int i = 0; i < effort.TrainSteps; i++)
            {
                var watch = Stopwatch.StartNew();
                step.Run(batches[i % batches.Count], 1e-4, i + 1);
                times.Add(watch.Elapsed.TotalSeconds);
            }
            seconds = Statistics.Median(times);
            return ModelFlops.Training(Reference, Sentences, Length + 1, Length + 1) / seconds;
        });
        foreach (var batch in batches) batch.Dispose();
        Report("train_step_seconds", seconds);
        Report("train_tokens_per_s", Sentences * (Length + 1) / seconds);
        Report("train_mfu", mfu);
    }

    private void Decode(Ensemble model, int beam, string name)
    {
        using var batch = SyntheticBatch(Length, null, seed: 7);
        // Outputs as long as the sources (14 tokens + EOS), like Multi30k translations.
        var options = new SearchOptions { BeamSize = beam, MaxLengthRatio = 1.0, MaxLengthOffset = 0 };
        BeamSearch.Search(model, batch, options);
        double seconds = 0;
        double mfu = _peak.Utilisation(() =>
        {
            var times = new List<double>();
            List<int> rows = [];
            for (int i = 0; i < effort.DecodeRepeats; i++)
            {
                rows = [];
                var watch = Stopwatch.StartNew();
                BeamSearch.Search(model, batch, options, rows);
                times.Add(watch.Elapsed.TotalSeconds);
            }
            seconds = Statistics.Median(times);
            double perMember = ModelFlops.Encoder(Reference, Sentences, Length + 1) + rows.Sum(r => ModelFlops.DecoderStep(Reference, r, Length + 1));
            return model.Members.Count * perMember / seconds;
        });
        Report($"{name}_sentences_per_s", Sentences / seconds);
        Report($"{name}_mfu", mfu);
    }

    /// <summary>Greedy decoding time per generated token. A random model almost never emits EOS, so every
    /// hypothesis runs to the length limit (2 × source + 5) and the output length follows the source length.</summary>
    private double SecondsPerToken(Seq2SeqModel model, int sourceLength)
    {
        var options = new SearchOptions { BeamSize = 1 };
        using var batch = SyntheticBatch(sourceLength, null, seed: 3);
        List<int> rows = [];
        double seconds = Statistics.Median(Enumerable.Range(0, effort.ScalingRepeats + 1).Select(_ =>
        {
            rows = [];
            var watch = Stopwatch.StartNew();
            BeamSearch.Search(model, batch, options, rows);
            return watch.Elapsed.TotalSeconds;
        }).Skip(1).ToList());
        return seconds / rows.Sum();
    }

    private double DecodeSeconds(Seq2SeqModel model, int beam, int sourceLength)
    {
        using var batch = SyntheticBatch(sourceLength, null, seed: 5);
        var options = new SearchOptions { BeamSize = beam };
        return Statistics.Median(Enumerable.Range(0, effort.ScalingRepeats + 1).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            BeamSearch.Search(model, batch, options);
            return watch.Elapsed.TotalSeconds;
        }).Skip(1).ToList());
    }

    internal static Batch SyntheticBatch(int sourceLength, int? targetLength, int seed)
    {
        var random = new Random(seed);
        int[] Sequence(int length) => Enumerable.Range(0, length).Select(_ => random.Next(4, 8000)).ToArray();
        var sources = Enumerable.Range(0, Sentences).Select(_ => Sequence(sourceLength)).ToList();
        var targets = targetLength is int t ? Enumerable.Range(0, Sentences).Select(_ => Sequence(t)).ToList() : null;
        return Batch.Create(sources, targets, CPU);
    }

}
