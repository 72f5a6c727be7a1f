using System.CommandLine;
using System.Globalization;
using Seq2Seq.Evaluation;
using Seq2Seq.IO;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// <c>seq2seq evaluate --hyp FILE --ref FILE</c>, or <c>--model DIR --source FILE --ref FILE</c> to translate
/// first: corpus BLEU and chrF as sacreBLEU computes them by default.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var hypotheses = new Option<string?>("--hyp") { Description = "Translations to evaluate, one per line" };
        var references = new Option<string>("--ref") { Description = "Reference translations, aligned line by line", Required = true };
        var model = new Option<DirectoryInfo[]>("--model") { Description = "Translate --source with this model instead of reading --hyp; give it several times for an ensemble", Arity = ArgumentArity.ZeroOrMore };
        var weights = CommonOptions.EnsembleWeights();
        var source = new Option<string?>("--source") { Description = "Source file to translate (with --model)" };
        var output = new Option<string?>("--output") { Description = "With --model: also write the translations here" };
        var batchSize = CommonOptions.BatchSize();
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var threads = CommonOptions.Threads();
        var search = new CommonOptions.Search();
        var lowercase = new Option<bool>("--lowercase") { Description = "Lowercase both sides before BLEU (sacreBLEU -lc), to compare with published lowercased scores; chrF stays cased" };
        var command = new Command("evaluate", "Corpus BLEU (13a, cased, exp smoothing) and chrF2, sacreBLEU-compatible")
        {
            hypotheses, references, model, weights, source, output, batchSize, device, precision, threads, lowercase,
        };
        search.AddTo(command);
        command.SetAction((parse, cancellation) =>
        {
            var refs = TextLines.Read(parse.GetValue(references)!).Select(l => l.Text).ToList();
            List<string> hyps;
            if (parse.GetValue(model) is { Length: > 0 } modelDirectories)
            {
                string sourcePath = parse.GetValue(source) ?? throw new InputException("--model needs --source (the text to translate)");
                using var loaded = CommonOptions.OpenModel(modelDirectories, parse.GetValue(weights), parse.GetValue(device)!, parse.GetValue(precision)!, parse.GetValue(threads));
                var sentences = TextLines.Read(sourcePath).Select(l => l.Text).ToList();
                hyps = loaded.Translate(sentences, search.Read(parse), parse.GetValue(batchSize)).Select(t => t.Best).ToList();
                if (parse.GetValue(output) is { } path) OutputFile.Write(path, string.Concat(hyps.Select(h => h + "\n")));
            }
            else
            {
                string hypPath = parse.GetValue(hypotheses) ?? throw new InputException("give --hyp FILE, or --model DIR with --source FILE");
                hyps = TextLines.Read(hypPath).Select(l => l.Text).ToList();
            }
            if (hyps.Count != refs.Count)
                throw new InputException($"{hyps.Count} hypotheses but {refs.Count} references in {parse.GetValue(references)}; they must be aligned line by line");
            var bleu = parse.GetValue(lowercase)
                ? Bleu.Corpus([.. hyps.Select(h => h.ToLowerInvariant())], [.. refs.Select(r => r.ToLowerInvariant())])
                : Bleu.Corpus(hyps, refs);
            var chrF = ChrF.Corpus(hyps, refs);
            Console.Out.WriteLine(bleu.ToString());
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chrF2 = {chrF.Score:F2}"));
            return Task.FromResult(0);
        });
        return command;
    }
}
