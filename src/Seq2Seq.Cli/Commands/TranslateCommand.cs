using System.CommandLine;
using Seq2Seq.Inference;
using Seq2Seq.IO;

namespace Seq2Seq.Cli.Commands;

/// <summary><c>seq2seq translate --model DIR --input FILE|- --output FILE|-</c>: translate a file line by line.</summary>
public static class TranslateCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var input = new Option<string>("--input") { Description = "Text file to translate, one sentence per line (- for standard input)", DefaultValueFactory = _ => "-" };
        var output = new Option<string>("--output") { Description = "Where to write translations (- for standard output)", DefaultValueFactory = _ => "-" };
        var format = new Option<string>("--format") { Description = "text: one translation per line; jsonl: one JSON object per line with scores", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "jsonl");
        var batchSize = CommonOptions.BatchSize();
        var device = CommonOptions.Device();
        var search = new CommonOptions.Search();
        var command = new Command("translate", "Translate a file with beam search") { model, input, output, format, batchSize, device };
        search.AddTo(command);
        command.SetAction((parse, cancellation) =>
        {
            var options = search.Read(parse);
            using var loaded = LoadedModel.Open(parse.GetValue(model)!, parse.GetValue(device)!);
            var writer = new TranslationWriter(parse.GetValue(format) == "jsonl", options.NBest) { TargetTokenizer = loaded.Checkpoint.TargetTokenizer };
            new FileTranslator(loaded.Translator, options, parse.GetValue(batchSize), writer)
                .Run(parse.GetValue(input)!, parse.GetValue(output)!, cancellation);
            return Task.FromResult(0);
        });
        return command;
    }
}
