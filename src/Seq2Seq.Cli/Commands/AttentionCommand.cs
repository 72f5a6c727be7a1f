using System.CommandLine;
using Seq2Seq.Inference;
using Seq2Seq.Inspection;
using Seq2Seq.IO;
using Seq2Seq.Text;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// <c>seq2seq attention --model DIR (--text "..." | --input FILE --line N [N ...]) --out FILE.png|.svg|.html</c>:
/// translate sentences and draw their attention weights (several sentences go into one HTML page with a selector).
/// </summary>
public static class AttentionCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var weights = CommonOptions.EnsembleWeights();
        var text = new Option<string[]>("--text") { Description = "Sentence(s) to translate and inspect", AllowMultipleArgumentsPerToken = true };
        var input = new Option<string?>("--input") { Description = "File to take the sentences from (with --line)" };
        var line = new Option<int[]>("--line") { Description = "1-based line number(s) in --input", AllowMultipleArgumentsPerToken = true };
        var view = new Option<string>("--view") { Description = "PNG/SVG: subword pieces or whole words (the HTML page has both)", DefaultValueFactory = _ => "subword" };
        view.AcceptOnlyFromAmong("subword", "word");
        var output = new Option<string>("--out") { Description = "Heatmap file: .png, .svg or .html", Required = true };
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var threads = CommonOptions.Threads();
        var search = new CommonOptions.Search();
        var command = new Command("attention", "Draw the attention heatmap of a translation") { model, weights, text, input, line, output, view, device, precision, threads };
        search.AddTo(command);
        command.SetAction(parse =>
        {
            var options = search.Read(parse);
            if (options.NBest > 1) throw new InputException("--n-best: attention draws the best translation of each sentence only; leave it at 1");
            var sentences = ReadSentences(parse.GetValue(text) ?? [], parse.GetValue(input), parse.GetValue(line) ?? []);
            string path = parse.GetValue(output)!;
            bool html = path.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".htm", StringComparison.OrdinalIgnoreCase);
            if (sentences.Count > 1 && !html) throw InputException.In(path, "several sentences need an .html page (PNG and SVG hold one)");
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is null || !Directory.Exists(folder)) throw InputException.In(path, "the output folder does not exist");
            using var loaded = CommonOptions.OpenModel(parse.GetValue(model)!, parse.GetValue(weights), parse.GetValue(device)!, parse.GetValue(precision)!, parse.GetValue(threads));
            var translations = loaded.Translate(sentences, options, batchSize: 16);
            if (translations.Any(t => t.Candidates.Count == 0)) throw new InputException("a sentence is empty; there is no attention to draw");
            var matrices = translations.Select(t => AttentionMatrices.Of(t, loaded.SourceTokenizer, loaded.TargetTokenizer))
                .Select(m => parse.GetValue(view) == "word" && !html ? m.ToWords() : m).ToList();
            try { AttentionPlot.Save(matrices, path); }
            catch (ArgumentException e) { throw InputException.In(path, e.Message); }
            foreach (var translation in translations) Console.Error.WriteLine(translation.Best);
            Console.Error.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }

    private static List<string> ReadSentences(string[] texts, string? input, int[] lines)
    {
        if (texts.Length > 0)
        {
            if (input is not null || lines.Length > 0) throw new InputException("give either --text or --input with --line, not both");
            return [.. texts];
        }
        if (input is null || lines.Length == 0) throw new InputException("give --text \"...\" or --input FILE --line N");
        foreach (int bad in lines.Where(l => l < 1)) throw new InputException($"--line {bad}: line numbers start at 1");
        var wanted = lines.ToHashSet();
        var found = new Dictionary<int, string>();
        foreach (var numbered in TextLines.Read(input))
        {
            if (wanted.Contains((int)numbered.Number)) found[(int)numbered.Number] = numbered.Text;
            if (found.Count == wanted.Count) break;
        }
        foreach (int missing in lines.Where(l => !found.ContainsKey(l))) throw InputException.In(input, $"has fewer than {missing} lines");
        return [.. lines.Select(l => found[l])];
    }
}
