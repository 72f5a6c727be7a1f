using System.Diagnostics;
using Seq2Seq.Data;
using Seq2Seq.Inference;
using Seq2Seq.Model;
using Seq2Seq.Runtime;
using static TorchSharp.torch;

namespace Seq2Seq.Benchmarks;

/// <summary>
/// Beam-5 searches of the reference model on a synthetic batch, timed over a wall-clock window; the search ticks
/// the thread governor after each decoder step, as in the translator.
/// </summary>
internal sealed class DecodeProbe : IThroughputProbe
{
    private readonly ThreadGovernor? _threads;
    private readonly Seq2SeqModel _model;
    private readonly Batch _batch;
    private readonly SearchOptions _options = new() { BeamSize = 5, MaxLengthRatio = 1.0, MaxLengthOffset = 0 };

    public DecodeProbe(ThreadGovernor? threads = null)
    {
        _threads = threads;
        manual_seed(1);
        _model = new Seq2SeqModel(Measurements.Reference);
        _model.eval();
        _batch = Measurements.SyntheticBatch(Measurements.Length, null, seed: 7);
        Run(TimeSpan.FromSeconds(2));
    }

    public string Unit => "sentences_per_s";

    /// <summary>Searches for <paramref name="window"/> (whole searches) and returns sentences per second.</summary>
    public double Run(TimeSpan window) => Run(window, CancellationToken.None);

    public double Run(TimeSpan window, CancellationToken stop)
    {
        long sentences = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < window && !stop.IsCancellationRequested)
        {
            BeamSearch.Search(_model, _batch, _options, threads: _threads);
            sentences += _batch.Size;
        }
        return sentences / watch.Elapsed.TotalSeconds;
    }

    public int Threads => _threads?.Threads ?? get_num_threads();

    public void Dispose()
    {
        _batch.Dispose();
        _model.Dispose();
    }
}
