using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Seq2Seq.Checkpoints;
using Seq2Seq.Cli.Hosting;
using Seq2Seq.Demo;
using Seq2Seq.Evaluation;
using Seq2Seq.Inference;
using Seq2Seq.Inspection;
using Seq2Seq.IO;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// <c>seq2seq demo --out DIR</c>: the whole product in one command, on a corpus it generates itself:
/// learn BPE, train a small model under the hosted pipeline, translate the test set, draw an attention
/// heatmap and write a summary.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the corpus, model, translations, heatmap and summary", Required = true };
        var device = CommonOptions.Device();
        var seed = new Option<int>("--seed") { Description = "Seed for the corpus and training", DefaultValueFactory = _ => 1 };
        var command = new Command("demo", "Generate an English→German demo corpus, train on it, translate its test set and draw attention")
        {
            output, device, seed,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var clock = Stopwatch.StartNew();
            string root = parse.GetValue(output)!.FullName;
            string corpus = Path.Combine(root, "corpus");
            string modelDirectory = Path.Combine(root, "model");
            Directory.CreateDirectory(root);
            var splits = DemoCorpus.Generate(new DemoCorpusOptions());
            DemoCorpus.Write(splits, corpus);
            Console.Error.WriteLine($"Wrote the demo corpus to {corpus}: {splits.Train.Count} training, {splits.Dev.Count} dev, {splits.Test.Count} test pairs");
            ClearPreviousRun(modelDirectory);

            var request = new TrainingRequest(modelDirectory, resume: false);
            var settings = DemoRecipe.Settings(corpus, parse.GetValue(device)!, parse.GetValue(seed));
            int exit = await TrainingHost.RunAsync(request, builder => builder.AddInMemoryCollection(settings), cancellation);
            if (exit != 0 || request.Outcome?.End == Training.TrainingEnd.Interrupted) return exit;

            using var loaded = TranslationModel.Open(modelDirectory, new TranslationModelOptions { Device = parse.GetValue(device)! });
            var sources = splits.Test.Select(p => p.En).ToList();
            var references = splits.Test.Select(p => p.De).ToList();
            var translations = loaded.Translate(sources, new SearchOptions { BeamSize = 5 }, batchSize: 64);
            var hypotheses = translations.Select(t => t.Best).ToList();
            AtomicFile.WriteAllText(Path.Combine(root, "translations.txt"), string.Concat(hypotheses.Select(h => h + "\n")));

            var example = translations.OrderByDescending(t => t.SourceIds.Length).First();
            AttentionPlot.Save(AttentionMatrices.Of(example, loaded.SourceTokenizer, loaded.TargetTokenizer),
                Path.Combine(root, "attention.png"));

            double exactMatch = hypotheses.Zip(references).Count(p => p.First == p.Second) / (double)references.Count;
            double bleu = Bleu.Corpus(hypotheses, references).Score;
            var summary = new JsonObject
            {
                ["exact_match"] = exactMatch,
                ["bleu"] = bleu,
                ["chrf"] = ChrF.Corpus(hypotheses, references).Score,
                ["test_lines"] = references.Count,
                ["train_seconds"] = request.Outcome!.TrainingSeconds,
                ["total_seconds"] = clock.Elapsed.TotalSeconds,
                ["steps"] = request.Outcome.Steps,
                ["parameters"] = loaded.Info.Parameters,
                ["checkpoint"] = Path.GetRelativePath(root, loaded.Info.Checkpoints[0]),
                ["attention_example"] = example.Source,
            };
            AtomicFile.WriteAllText(Path.Combine(root, "summary.json"), summary.ToJsonString(JsonDefaults.Indented));
            Console.Error.WriteLine($"exact match {exactMatch:P1}, BLEU {bleu:F2} on {references.Count} test sentences; wrote {root}/translations.txt, attention.png, summary.json");
            return 0;
        });
        return command;
    }

    /// <summary>A previous demo's model folder is the demo's own output; it is replaced, anything else is refused.</summary>
    private static void ClearPreviousRun(string modelDirectory)
    {
        if (!Directory.Exists(modelDirectory)) return;
        bool isRun = File.Exists(Path.Combine(modelDirectory, "config.json")) || Directory.Exists(new RunDirectory(modelDirectory).CheckpointsDirectory);
        if (!isRun && Directory.EnumerateFileSystemEntries(modelDirectory).Any())
            throw InputException.In(modelDirectory, "exists and is not a previous demo run; choose another --out");
        Directory.Delete(modelDirectory, recursive: true);
    }
}
