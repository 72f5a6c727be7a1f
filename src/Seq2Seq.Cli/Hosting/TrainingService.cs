using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seq2Seq.Checkpoints;
using Seq2Seq.IO;
using Seq2Seq.Model;
using Seq2Seq.Training;

namespace Seq2Seq.Cli.Hosting;

/// <summary>
/// Runs the <see cref="Trainer"/> as the host's background service on its own thread. Ctrl+C or SIGTERM
/// cancels the stopping token; the trainer then saves a checkpoint and returns, and the process exits 0.
/// </summary>
public sealed class TrainingService(
    TrainingRequest request,
    IOptions<TrainingOptions> training,
    IOptions<DataOptions> data,
    IOptions<TokenizerOptions> tokenizer,
    IOptions<ModelConfig> model,
    IProgress<TrainingProgress> progress,
    ILogger<Trainer> logger,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Train(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Train(CancellationToken stoppingToken)
    {
        try
        {
            var setup = new TrainingSetup(training.Value, data.Value, tokenizer.Value, model.Value, request.RunDirectory);
            var outcome = new Trainer(setup, logger, progress).Run(request.Resume, stoppingToken);
            request.Outcome = outcome;
            request.ExitCode = 0;
            logger.LogInformation("Training {End} after {Steps} steps ({Seconds:F0} s); best checkpoint: {Best}",
                outcome.End.ToString().ToLowerInvariant(), outcome.Steps, outcome.TrainingSeconds, outcome.BestCheckpoint ?? "none");
        }
        catch (InputException e)
        {
            logger.LogError("{Message}", e.Message);
            request.ExitCode = CommandRunner.InputError;
        }
        catch (Exception e)
        {
            logger.LogCritical("internal error: {Type}: {Message}", e.GetType().Name, e.Message);
            request.ExitCode = CommandRunner.InternalError;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
