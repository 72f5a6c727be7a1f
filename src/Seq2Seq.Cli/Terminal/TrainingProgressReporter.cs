using Microsoft.Extensions.Logging;
using Seq2Seq.Training;
using Spectre.Console;

namespace Seq2Seq.Cli.Terminal;

/// <summary>
/// Shows training progress: a live Spectre.Console progress bar (loss, tokens/s, learning rate, ETA) on an
/// interactive terminal, plain log lines when output is redirected (CI logs, nohup, Slurm).
/// </summary>
public static class TrainingProgressReporter
{
    public static IProgress<TrainingProgress> Create(IAnsiConsole console, ILogger logger) =>
        console.Profile.Capabilities.Interactive && !Console.IsErrorRedirected ? new LiveProgress(console) : new LogProgress(logger);

    /// <summary>One line per report.</summary>
    private sealed class LogProgress(ILogger logger) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p) =>
            logger.LogInformation("epoch {Epoch} batch {Batch}/{Batches} step {Step}: loss {Loss:F3}, {TokensPerSecond:F0} tokens/s, lr {Rate:G3}, elapsed {Elapsed}, ETA {Remaining} ({Limit})",
                p.Epoch, p.BatchInEpoch, p.BatchesInEpoch, p.Step, p.Loss, p.TokensPerSecond, p.LearningRate,
                Format(p.Elapsed), p.Remaining is { } r ? Format(r) : "unknown", p.Limit);
    }

    /// <summary>A progress bar rendered on a background task until the process ends.</summary>
    private sealed class LiveProgress : IProgress<TrainingProgress>, IDisposable
    {
        private readonly IAnsiConsole _console;
        private readonly CancellationTokenSource _stop = new();
        private TrainingProgress? _latest;
        private Task? _render;

        public LiveProgress(IAnsiConsole console) => _console = console;

        public void Report(TrainingProgress value)
        {
            _latest = value;
            _render ??= Task.Run(RenderAsync);
        }

        private Task RenderAsync() =>
            _console.Progress().AutoClear(true).HideCompleted(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("training");
                    while (!_stop.IsCancellationRequested)
                    {
                        if (_latest is { } p)
                        {
                            // Progress towards whichever limit ends the run first (epochs, steps or MaxSeconds).
                            task.MaxValue = 1000;
                            task.Value = p.Remaining is { } r ? 1000 * p.Elapsed / (p.Elapsed + r) : 0;
                            string eta = p.Remaining is { } left ? $" ETA {Format(left)} ({p.Limit})" : "";
                            task.Description = Markup.Escape($"epoch {p.Epoch} step {p.Step} loss {p.Loss:F3} {p.TokensPerSecond:F0} tok/s lr {p.LearningRate:G3}{eta}");
                        }
                        try { await Task.Delay(250, _stop.Token); } catch (OperationCanceledException) { }
                    }
                });

        public void Dispose()
        {
            _stop.Cancel();
            _render?.Wait(TimeSpan.FromSeconds(2));
        }
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : $"{t.Minutes}m{t.Seconds:D2}s";
}
