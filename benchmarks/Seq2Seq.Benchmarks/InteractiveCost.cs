using System.Diagnostics;
using Seq2Seq.Inference;
using Seq2Seq.IO;

namespace Seq2Seq.Benchmarks;

/// <summary>
/// What interactive translation costs against a plain translation, on a trained model and real sentences of about
/// 15 words: each sentence alone with beam 5, then completed from the first three words of its own translation with
/// five next-word alternatives, A and B alternating so both see the same machine. Prints the medians and their ratio
/// (the goal: at most 1.5).
/// </summary>
internal sealed class InteractiveCost(string modelPath, string sourcePath, Effort effort, TextWriter output)
{
    public void Run()
    {
        using var model = TranslationModel.Open(modelPath, new TranslationModelOptions { Device = "cpu" });
        var sentences = TextLines.Read(sourcePath).Select(l => l.Text)
            .Where(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is >= 14 and <= 16)
            .Take(effort == Effort.Quick ? 12 : 40).ToList();
        if (sentences.Count == 0) throw new InputException($"{sourcePath}: no sentence of 14-16 words to measure with");
        var plain = new SearchOptions { BeamSize = 5 };
        var interactive = new SearchOptions { BeamSize = 5, Alternatives = 5 };
        var prefixes = sentences.Select(s => string.Join(' ', model.Translate(s, plain).Split(' ').Take(3)) + " ").ToList();

        var plainSeconds = new List<double>();
        var interactiveSeconds = new List<double>();
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < sentences.Count; i++)
            {
                var watch = Stopwatch.StartNew();
                model.Translate([sentences[i]], plain);
                plainSeconds.Add(watch.Elapsed.TotalSeconds);
                watch.Restart();
                model.Translate([sentences[i]], [prefixes[i]], interactive);
                interactiveSeconds.Add(watch.Elapsed.TotalSeconds);
            }
        }
        double a = Statistics.Median(plainSeconds), b = Statistics.Median(interactiveSeconds);
        output.WriteLine($"interactive_sentences {sentences.Count}");
        output.WriteLine($"plain_beam5_ms {a * 1000:0.##}");
        output.WriteLine($"completion_5_alternatives_ms {b * 1000:0.##}");
        output.WriteLine($"interactive_cost_ratio {b / a:0.###}");
    }
}
