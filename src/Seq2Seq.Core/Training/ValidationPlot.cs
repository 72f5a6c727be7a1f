using ScottPlot;
using Seq2Seq.IO;

namespace Seq2Seq.Training;

/// <summary>
/// The validation curve of a run as a PNG (<c>validation.png</c> in the run folder, redrawn after every
/// validation): BLEU and chrF on the left axis, training and validation loss on the right, by epoch.
/// </summary>
internal static class ValidationPlot
{
    public const string FileName = "validation.png";

    public static void Save(IReadOnlyList<ValidationResult> history, string path, int width = 900, int height = 500)
    {
        var plot = new Plot();
        double[] epochs = [.. history.Select(h => h.Epoch)];
        var bleu = plot.Add.Scatter(epochs, history.Select(h => h.Bleu).ToArray());
        bleu.LegendText = "validation BLEU";
        var chrF = plot.Add.Scatter(epochs, history.Select(h => h.ChrF).ToArray());
        chrF.LegendText = "validation chrF";
        chrF.LinePattern = LinePattern.Dotted;
        var validLoss = plot.Add.Scatter(epochs, history.Select(h => h.Loss).ToArray());
        validLoss.LegendText = "validation loss";
        validLoss.Axes.YAxis = plot.Axes.Right;
        var trainLoss = plot.Add.Scatter(epochs, history.Select(h => h.TrainLoss).ToArray());
        trainLoss.LegendText = "training loss";
        trainLoss.Axes.YAxis = plot.Axes.Right;
        trainLoss.LinePattern = LinePattern.Dashed;
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = "BLEU / chrF";
        plot.Axes.Right.Label.Text = "loss (nats per token)";
        plot.Title($"Validation: best BLEU {history.Max(h => h.Bleu):F2} at step {history.MaxBy(h => h.Bleu)!.Step}");
        plot.ShowLegend(Alignment.UpperCenter);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));
    }
}
