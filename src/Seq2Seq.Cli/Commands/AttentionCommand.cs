using System.CommandLine;
using Seq2Seq.Inference;
using Seq2Seq.Inspection;
using Seq2Seq.IO;
using Seq2Seq.Text;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// <c>seq2seq attention --model DIR (--text "..." | --input FILE --line N) --out FILE.png|.svg|.html</c>:
/// translate one sentence and draw its attention weights.
/// </summary>
public static class AttentionCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var text = new Option<string?>("--text") { Description = "Sentence to translate and inspect" };
        var input = new Option<string?>("--input") { Description = "File to take the sentence from (with --line)" };
        var line = new Option<int?>("--line") { Description = "1-based line number in --input" };
        var output = new Option<string>("--out") { Description = "Heatmap file: .png, .svg or .html", Required = true };
        var device = CommonOptions.Device();
        var search = new CommonOptions.Search();
        var command = new Command("attention", "Draw the attention heatmap of a translation") { model, text, input, line, output, device };
        search.AddTo(command);
        command.SetAction(parse =>
        {
            string sentence = ReadSentence(parse.GetValue(text), parse.GetValue(input), parse.GetValue(line));
            using var loaded = LoadedModel.Open(parse.GetValue(model)!, parse.GetValue(device)!);
            var translation = loaded.Translator.Translate([sentence], search.Read(parse), batchSize: 1)[0];
            if (translation.Candidates.Count == 0) throw new InputException("the sentence is empty; there is no attention to draw");
            var matrix = AttentionMatrices.Of(translation, loaded.Checkpoint.SourceTokenizer, loaded.Checkpoint.TargetTokenizer);
            string path = parse.GetValue(output)!;
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is null || !Directory.Exists(folder)) throw InputException.In(path, "the output folder does not exist");
            try { AttentionPlot.Save(matrix, path); }
            catch (ArgumentException e) { throw InputException.In(path, e.Message); }
            Console.Error.WriteLine($"{translation.Best}\nwrote {path}");
            return 0;
        });
        return command;
    }

    private static string ReadSentence(string? text, string? input, int? line)
    {
        if (text is not null)
        {
            if (input is not null || line is not null) throw new InputException("give either --text or --input with --line, not both");
            return text;
        }
        if (input is null || line is null) throw new InputException("give --text \"...\" or --input FILE --line N");
        if (line < 1) throw new InputException($"--line {line}: line numbers start at 1");
        foreach (var numbered in TextLines.Read(input))
            if (numbered.Number == line) return numbered.Text;
        throw InputException.In(input, $"has fewer than {line} lines");
    }
}
