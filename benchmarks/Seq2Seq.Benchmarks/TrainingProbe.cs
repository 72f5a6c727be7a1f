using System.Diagnostics;
using Seq2Seq.Data;
using Seq2Seq.Model;
using Seq2Seq.Runtime;
using Seq2Seq.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Benchmarks;

/// <summary>
/// Training steps of the reference model on synthetic batches, timed over a wall-clock window; the step ticks the
/// thread governor, as in the trainer.
/// </summary>
internal sealed class TrainingProbe : IThroughputProbe
{
    private readonly ThreadGovernor? _threads;
    private readonly Seq2SeqModel _model;
    private readonly Adam _optimizer;
    private readonly TrainingStep _step;
    private readonly List<Batch> _batches;
    private long _steps;

    public TrainingProbe(ThreadGovernor? threads = null)
    {
        _threads = threads;
        manual_seed(1);
        _model = new Seq2SeqModel(Measurements.Reference);
        _optimizer = TrainingStep.CreateOptimizer(_model, 1e-4, 0);
        _step = new TrainingStep(_model, _optimizer, labelSmoothing: 0.1, clipNorm: 1.0, seed: 1) { Threads = threads };
        _batches = Enumerable.Range(0, 4).Select(i => Measurements.SyntheticBatch(Measurements.Length, Measurements.Length, seed: i)).ToList();
        Run(TimeSpan.FromSeconds(2));
    }

    /// <summary>Trains for <paramref name="window"/> (whole steps) and returns target tokens per second.</summary>
    public string Unit => "tokens_per_s";

    public double Run(TimeSpan window) => Run(window, CancellationToken.None);

    public double Run(TimeSpan window, CancellationToken cancellation)
    {
        long tokens = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < window && !cancellation.IsCancellationRequested)
        {
            var batch = _batches[(int)(_steps % _batches.Count)];
            _step.Run(batch, 1e-4, ++_steps);
            tokens += batch.TargetTokens;
        }
        return tokens / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The thread count in force now.</summary>
    public int Threads => _threads?.Threads ?? get_num_threads();

    public void Dispose()
    {
        foreach (var batch in _batches) batch.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }
}
