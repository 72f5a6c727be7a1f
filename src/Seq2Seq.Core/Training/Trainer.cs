using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Seq2Seq.Checkpoints;
using Seq2Seq.Data;
using Seq2Seq.Inference;
using Seq2Seq.IO;
using Seq2Seq.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Training;

/// <summary>
/// Trains a model with teacher forcing on token-level cross-entropy, Adam, global gradient-norm clipping,
/// warm-up and reduce-on-plateau learning rates, periodic validation, <c>best</c>/<c>last</c> checkpoints,
/// early stopping, and curves in <c>validation.png</c> and TensorBoard. Cancellation saves a checkpoint and
/// returns; <see cref="Run"/> with resume continues from it exactly (same batches, same random numbers).
/// </summary>
public sealed class Trainer(TrainingSetup setup, ILogger logger, IProgress<TrainingProgress>? progress = null)
{
    private readonly TrainingOptions _options = setup.Training;
    private readonly ILogger _logger = logger;
    private readonly IProgress<TrainingProgress>? _progress = progress;

    /// <summary>Test hook passed to <see cref="TrainingStep.NonFiniteLossAt"/>.</summary>
    internal Func<long, bool>? NonFiniteLossAt { get; init; }

    /// <summary>Runs (or resumes) training until done, early-stopped or cancelled.</summary>
    public TrainingOutcome Run(bool resume, CancellationToken cancellation)
    {
        var run = setup.Run;
        Directory.CreateDirectory(run.Root);
        using var runLock = RunLock.Acquire(run.Root);
        string? last = run.Pointer(RunDirectory.LastPointer);
        if (resume && last is null) throw InputException.In(run.Root, "has no checkpoint to resume from (no last.json)");
        if (!resume && last is not null)
            throw InputException.In(run.Root, "already holds a training run; pass --resume to continue it or choose another output folder");
        if (!resume) AtomicFile.WriteAllText(run.ConfigFile, JsonSerializer.Serialize(setup.ToRecord(), JsonDefaults.Indented));
        run.Prune(_options.KeepCheckpoints);

        var threads = Runtime.ThreadGovernor.Start(_options.Threads, _logger);
        var device = Runtime.DeviceSelector.Resolve(_options.Device);
        Runtime.Precision.AllowTensorFloat32(device, _options.AllowTf32);
        var data = TrainingData.Load(setup.Data, setup.Tokenizer, run, _logger);
        torch.manual_seed(_options.Seed);
        var config = resume ? Checkpoint.Open(last!).Config : setup.Model.Clone();
        config.SourceVocabularySize = data.SourceTokenizer.VocabularySize;
        config.TargetVocabularySize = data.TargetTokenizer.VocabularySize;
        using var model = new Seq2SeqModel(config);
        model.to(device);
        using var optimizer = TrainingStep.CreateOptimizer(model, _options.LearningRate, _options.WeightDecay);
        var state = resume ? TrainingCheckpoint.Restore(Checkpoint.Open(last!), model, optimizer) : new TrainingState { LearningRate = _options.LearningRate };
        _logger.LogInformation("{Action} on {Device} with {Threads} CPU thread{Plural}{Adaptive}: {Parameters:N0} parameters, vocabularies {Source} / {Target}, step {Step}",
            resume ? "Resuming" : "Training", device.type, threads.Threads, threads.Threads == 1 ? "" : "s", threads.Adaptive ? " (one while another process takes a core)" : "", model.ParameterCount(), config.SourceVocabularySize, config.TargetVocabularySize, state.Step);

        using var board = TensorBoardLog.Open(run.TensorBoardDirectory, resume ? state.Step : null, _logger);
        var loop = new TrainingLoop(this, run, model, optimizer, state, data, device, threads, board);
        return loop.Execute(cancellation);
    }

    /// <summary>The mutable parts of one run.</summary>
    private sealed class TrainingLoop(Trainer trainer, RunDirectory run, Seq2SeqModel model, Adam optimizer, TrainingState state, TrainingData data, Device device,
        Runtime.ThreadGovernor threads, TensorBoardLog board)
    {
        private readonly ThroughputMonitor _throughput = new(threads.Threads, threads.Adaptive);
        private readonly TrainingOptions _options = trainer._options;
        private readonly LearningRateSchedule _schedule = new(trainer._options);
        private readonly Validator _validator = new(data, trainer._options, device);
        private readonly Stopwatch _clock = new();
        private readonly Stopwatch _sinceSave = new();
        private readonly TrainingStep _step = new(model, optimizer, trainer._options.LabelSmoothing, trainer._options.ClipNorm, trainer._options.Seed)
        {
            NonFiniteLossAt = trainer.NonFiniteLossAt,
            Threads = threads,
            SourceWordDropout = trainer._options.SourceWordDropout,
            TargetWordDropout = trainer._options.TargetWordDropout,
        };
        private double _reportNll, _validationNll;
        private long _reportTokens, _validationTokens;
        private int _batchesInEpoch = 1;
        private TimeSpan _lastReport;
        private long _doneAtStart = -1;
        private double _progressAtSave = -1;
        private bool _unsaved;
        private string? _lastCheckpoint = run.Pointer(RunDirectory.LastPointer);

        public TrainingOutcome Execute(CancellationToken cancellation)
        {
            _clock.Start();
            _sinceSave.Start();
            // A resumed run continues when its limits were raised since it stopped.
            state.Finished = state.Epoch >= _options.MaxEpochs || OutOfBudget() || EarlyStopped();
            while (state.Epoch < _options.MaxEpochs && !state.Finished)
            {
                var batches = TokenBatcher.Plan(data.Train, _options.BatchTokens, _options.MaxBatchSentences, shuffle: true, _options.Seed, state.Epoch);
                _batchesInEpoch = batches.Count;
                if (_doneAtStart < 0) (_doneAtStart, _progressAtSave) = ((long)state.Epoch * batches.Count + state.BatchInEpoch, Progress());
                while (!state.Finished)
                {
                    if (cancellation.IsCancellationRequested) return Stop(TrainingEnd.Interrupted);
                    bool applied = Step(batches[state.BatchInEpoch]);
                    bool epochEnd = ++state.BatchInEpoch == batches.Count;
                    if (epochEnd) (state.Epoch, state.BatchInEpoch) = (state.Epoch + 1, 0);
                    Report(epochEnd);
                    if (OutOfBudget() || (epochEnd && state.Epoch >= _options.MaxEpochs)) state.Finished = true;
                    // Step-count triggers fire once per update, not again for a skipped batch at the same count.
                    if (state.Finished || (_options.ValidateEvery > 0 ? applied && state.Step % _options.ValidateEvery == 0 : epochEnd)) Validate();
                    else if (applied && ((_options.CheckpointEvery > 0 && state.Step % _options.CheckpointEvery == 0) || CheckpointDue())) SaveLast();
                    if (epochEnd) break;
                }
            }
            if (state.History.LastOrDefault()?.Step != state.Step) Validate();
            if (!state.Finished) { state.Finished = true; _unsaved = true; }
            return Stop(EarlyStopped() ? TrainingEnd.EarlyStopped : TrainingEnd.Completed);
        }

        /// <summary>A fraction 1/<c>MinCheckpoints</c> of the budget has passed since the last checkpoint.</summary>
        private bool CheckpointDue() =>
            _options.MinCheckpoints > 0 && Progress() - _progressAtSave >= 1.0 / _options.MinCheckpoints;

        private bool EarlyStopped() =>
            _options.EarlyStoppingPatience > 0 && state.ValidationsWithoutImprovement >= _options.EarlyStoppingPatience;

        /// <summary>The fraction of the budget used: the largest of epochs, steps and seconds against their limits.</summary>
        private double Progress()
        {
            double progress = (state.Epoch + (double)state.BatchInEpoch / _batchesInEpoch) / _options.MaxEpochs;
            if (_options.MaxSteps > 0) progress = Math.Max(progress, (double)state.Step / _options.MaxSteps);
            if (_options.MaxSeconds > 0) progress = Math.Max(progress, (state.TrainingSeconds + _sinceSave.Elapsed.TotalSeconds) / _options.MaxSeconds);
            return Math.Clamp(progress, 0, 1);
        }

        private bool OutOfBudget() =>
            (_options.MaxSteps > 0 && state.Step >= _options.MaxSteps) ||
            (_options.MaxSeconds > 0 && state.TrainingSeconds + _sinceSave.Elapsed.TotalSeconds >= _options.MaxSeconds);

        private bool Step(int[] indices)
        {
            using var batch = Batch.Create(indices.Select(i => data.Train[i].Source).ToList(), indices.Select(i => data.Train[i].Target).ToList(), device);
            var result = _step.Run(batch, _schedule.At(state.Step + 1, state.LearningRate, Progress()), state.Step + 1);
            if (!result.Applied)
            {
                SkipBadBatch(indices, result.Nll, result.GradientNorm);
                return false;
            }
            state.ConsecutiveBadBatches = 0;
            state.Step++;
            _unsaved = true;
            _reportNll += result.Nll;
            _validationNll += result.Nll;
            _reportTokens += result.Tokens;
            _validationTokens += result.Tokens;
            return true;
        }

        private void SkipBadBatch(int[] indices, double loss, double norm)
        {
            state.ConsecutiveBadBatches++;
            trainer._logger.LogWarning("Skipped batch {Batch} of epoch {Epoch} ({Sentences} sentences): loss {Loss}, gradient norm {Norm} is not finite",
                state.BatchInEpoch + 1, state.Epoch + 1, indices.Length, loss, norm);
            if (state.ConsecutiveBadBatches >= _options.MaxBadBatches)
                throw new TrainingDivergedException(
                    $"training diverged: {state.ConsecutiveBadBatches} consecutive batches had a non-finite loss. " +
                    $"The last good checkpoint is kept ({_lastCheckpoint ?? "none yet"}); lower Training:LearningRate or set Training:ClipNorm and resume or restart");
        }

        private void Report(bool epochEnd)
        {
            var now = _clock.Elapsed;
            if (now - _lastReport < TimeSpan.FromSeconds(_options.ReportSeconds) && !epochEnd) return;
            int batchesInEpoch = _batchesInEpoch;
            double seconds = Math.Max(1e-9, (now - _lastReport).TotalSeconds);
            long total = (long)batchesInEpoch * _options.MaxEpochs;
            if (_options.MaxSteps > 0) total = Math.Min(total, _options.MaxSteps);
            long done = (long)state.Epoch * batchesInEpoch + state.BatchInEpoch;
            string workLimit = _options.MaxSteps > 0 && _options.MaxSteps < (long)batchesInEpoch * _options.MaxEpochs ? "MaxSteps" : "MaxEpochs";
            var eta = TrainingEta.Estimate(done, _doneAtStart, total, workLimit, now, state.TrainingSeconds + _sinceSave.Elapsed.TotalSeconds, _options.MaxSeconds);
            double tokensPerSecond = _reportTokens / seconds;
            double loss = _reportNll / Math.Max(1, _reportTokens), learningRate = _schedule.At(state.Step, state.LearningRate, Progress());
            trainer._progress?.Report(new TrainingProgress(state.Step, epochEnd ? state.Epoch : state.Epoch + 1, epochEnd ? batchesInEpoch : state.BatchInEpoch, batchesInEpoch, total,
                loss, tokensPerSecond, learningRate, now, eta.Remaining, eta.Limit));
            // With no update since the last report (skipped batches), a zero would be a false point on the curve.
            if (_reportTokens > 0) board.Training(state.Step, loss, learningRate, tokensPerSecond);
            if (_throughput.Observe(tokensPerSecond) is { } slowdown) trainer._logger.LogWarning("{Slowdown}", slowdown);
            _reportNll = 0;
            _reportTokens = 0;
            _lastReport = now;
        }

        private void Validate()
        {
            var started = Stopwatch.StartNew();
            var (loss, perplexity, bleu, chrF, sample) = _validator.Run(model);
            double trainLoss = _validationNll / Math.Max(1, _validationTokens);
            _validationNll = 0;
            _validationTokens = 0;
            var result = new ValidationResult(state.Step, state.Epoch + (double)state.BatchInEpoch / _batchesInEpoch, trainLoss,
                loss, perplexity, bleu, chrF, _schedule.At(state.Step, state.LearningRate, Progress()), started.Elapsed.TotalSeconds);
            state.History.Add(result);
            double metric = _options.SelectBy == "loss" ? -loss : bleu;
            bool improved = _schedule.Observe(state, metric);
            trainer._logger.LogInformation("Validation at step {Step} (epoch {Epoch:F2}): loss {Loss:F3}, perplexity {Perplexity:F2}, BLEU {Bleu:F2}, chrF {ChrF:F2}{Best}; learning rate {Rate:G3}",
                state.Step, result.Epoch, loss, perplexity, bleu, chrF, improved ? " (new best)" : "", _schedule.At(state.Step + 1, state.LearningRate, Progress()));
            if (EarlyStopped())
            {
                trainer._logger.LogInformation("No improvement for {Count} validations: stopping early", state.ValidationsWithoutImprovement);
                state.Finished = true;
            }
            string checkpoint = SaveLast();
            DrawValidationCurve();
            board.Validation(result, sample is { Candidates.Count: > 0 } ? AttentionMatrices.Of(sample, data.SourceTokenizer, data.TargetTokenizer) : null);
            if (improved) run.SetPointer(RunDirectory.BestPointer, checkpoint, new() { ["step"] = state.Step, [_options.SelectBy] = _options.SelectBy == "loss" ? loss : bleu });
            run.Prune(_options.KeepCheckpoints);
            // Throughput reports measure training only.
            (_lastReport, _reportNll, _reportTokens) = (_clock.Elapsed, 0, 0);
        }

        private void DrawValidationCurve()
        {
            try
            {
                ValidationPlot.Save(state.History, Path.Combine(run.Root, ValidationPlot.FileName));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // A picture is not worth stopping a run for.
                trainer._logger.LogWarning("Could not draw {File}: {Message}", ValidationPlot.FileName, e.Message);
            }
        }

        private string SaveLast()
        {
            state.TrainingSeconds += _sinceSave.Elapsed.TotalSeconds;
            _sinceSave.Restart();
            _progressAtSave = Progress();
            _unsaved = false;
            try
            {
                _lastCheckpoint = TrainingCheckpoint.Save(run, model, optimizer, state);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Disk full, quota, permissions: the new checkpoint was never renamed into place, so the previous one stands.
                throw InputException.In(run.CheckpointsDirectory,
                    $"cannot write the checkpoint for step {state.Step}: {e.Message}. The previous checkpoint is intact " +
                    $"({_lastCheckpoint ?? "none yet"}); free space or fix the folder, then run again with --resume");
            }
            run.SetPointer(RunDirectory.LastPointer, _lastCheckpoint, new() { ["step"] = state.Step });
            // Here, not only at validations: checkpoints written between them (CheckpointEvery, MinCheckpoints) count too.
            run.Prune(_options.KeepCheckpoints);
            return _lastCheckpoint;
        }

        private TrainingOutcome Stop(TrainingEnd end)
        {
            if (end == TrainingEnd.Interrupted)
                trainer._logger.LogInformation("Stopping on request at step {Step}; saving a checkpoint to resume from", state.Step);
            if (_unsaved || _lastCheckpoint is null) SaveLast();
            return new TrainingOutcome(end, state.Step, run.Pointer(RunDirectory.BestPointer), _lastCheckpoint, state.TrainingSeconds, [.. state.History]);
        }
    }
}
