using Microsoft.Extensions.Logging;
using Seq2Seq.Inspection;

namespace Seq2Seq.Training;

/// <summary>
/// What a training run shows in TensorBoard, written to <c>tensorboard/</c> in the run folder, one new event
/// file per process, all on the optimizer-step axis: <c>train/loss</c>, <c>train/learning_rate</c>,
/// <c>train/tokens_per_second</c> at each progress report; <c>valid/loss</c>, <c>valid/perplexity</c>,
/// <c>valid/bleu</c>, <c>valid/chrf</c> and the <c>valid/attention</c> heatmap of a fixed validation sentence
/// at each validation.
/// </summary>
/// <remarks>
/// Nothing here stops a run. The first failed write is logged and ends logging for this process, since a
/// half-written record would hide everything after it; a heatmap that cannot be drawn is skipped with a warning.
/// </remarks>
internal sealed class TensorBoardLog : IDisposable
{
    private readonly string _directory;
    private readonly ILogger _logger;
    private EventFileWriter? _writer;

    private TensorBoardLog(string directory, ILogger logger) => (_directory, _logger) = (directory, logger);

    /// <summary>
    /// Starts a new event file in <paramref name="directory"/>. <paramref name="resumedAt"/> is the step of the
    /// checkpoint a resumed run continues from, null for a new run.
    /// </summary>
    public static TensorBoardLog Open(string directory, long? resumedAt, ILogger logger)
    {
        var log = new TensorBoardLog(directory, logger);
        log.Try(() =>
        {
            log._writer = new EventFileWriter(directory);
            // The resumed process logs from the next step on; an earlier process's points there are stale.
            if (resumedAt is { } step) log._writer.StartAt(step + 1);
        });
        return log;
    }

    /// <summary>A progress report: mean training loss per token since the previous one, learning rate, throughput.</summary>
    public void Training(long step, double loss, double learningRate, double tokensPerSecond) => Try(() =>
    {
        _writer?.Scalar("train/loss", loss, step);
        _writer?.Scalar("train/learning_rate", learningRate, step);
        _writer?.Scalar("train/tokens_per_second", tokensPerSecond, step);
    });

    /// <summary>A validation, with the attention of the fixed sentence's translation when there is one.</summary>
    public void Validation(ValidationResult result, AttentionMatrix? attention)
    {
        Try(() =>
        {
            _writer?.Scalar("valid/loss", result.Loss, result.Step);
            _writer?.Scalar("valid/perplexity", result.Perplexity, result.Step);
            _writer?.Scalar("valid/bleu", result.Bleu, result.Step);
            _writer?.Scalar("valid/chrf", result.ChrF, result.Step);
        });
        if (attention is null || _writer is null) return;
        (byte[] Png, int Width, int Height) picture;
        try
        {
            picture = HeatmapPng.Render(attention);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            // A picture is not worth stopping a run for.
            _logger.LogWarning("Could not draw the attention heatmap for TensorBoard at step {Step}: {Message}", result.Step, e.Message);
            return;
        }
        Try(() => _writer?.Image("valid/attention", picture.Png, picture.Width, picture.Height, result.Step));
    }

    private void Try(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("TensorBoard logging stops for this run: could not write to {Directory}: {Message}", _directory, e.Message);
            Dispose();
        }
    }

    public void Dispose()
    {
        try { _writer?.Dispose(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        _writer = null;
    }
}
