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
        var weights = CommonOptions.EnsembleWeights();
        var input = new Option<string>("--input") { Description = "Text file to translate, one sentence per line (- for standard input)", DefaultValueFactory = _ => "-" };
        var output = new Option<string>("--output") { Description = "Where to write translations (- for standard output)", DefaultValueFactory = _ => "-" };
        var format = new Option<string>("--format") { Description = "text: one translation per line; jsonl: one JSON object per line with scores", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "jsonl");
        var prefixFile = new Option<string?>("--prefix-file") { Description = "One target prefix per input line (empty for none): each translation starts with the words of its prefix" };
        var alternatives = new Option<int>("--alternatives")
        {
            Description = $"Offer this many next words where each translation becomes free (after its prefix), with their probabilities and completions (JSONL; 0-{SearchOptions.MaxAlternatives})",
        };
        alternatives.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > SearchOptions.MaxAlternatives) r.AddError($"--alternatives must be between 0 and {SearchOptions.MaxAlternatives}");
        });
        var shard = new Option<string?>("--shard") { Description = "Translate only part I of N equal contiguous line ranges (e.g. 3/8), for job arrays" };
        var maxSourceTokens = new Option<int>("--max-source-tokens")
        {
            Description = "Longer source lines are truncated to this many subword tokens (with a warning)",
            DefaultValueFactory = _ => TranslationModelOptions.DefaultMaxSourceTokens,
        };
        maxSourceTokens.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--max-source-tokens must be at least 1"); });
        var alignments = new Option<bool>("--alignments") { Description = "Add word alignments (Pharaoh src-tgt pairs): after a tab in text, an alignment field in JSONL" };
        var attention = new Option<bool>("--attention") { Description = "Add the full subword attention matrix to each JSONL line" };
        var coverage = new Option<bool>("--coverage") { Description = "Add coverage diagnostics (attention received per source word, entropy per target token) to each JSONL line" };
        var batchSize = CommonOptions.BatchSize();
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var threads = CommonOptions.Threads();
        var search = new CommonOptions.Search();
        var command = new Command("translate", "Translate a file with beam search") { model, weights, input, output, format, alignments, attention, coverage, prefixFile, alternatives, shard, maxSourceTokens, batchSize, device, precision, threads };
        search.AddTo(command);
        command.SetAction((parse, cancellation) =>
        {
            var options = search.Read(parse);
            options.Alternatives = parse.GetValue(alternatives);
            var part = parse.GetValue(shard) is { } text ? Shard.Parse(text) : (Shard?)null;
            string inputPath = parse.GetValue(input)!;
            bool jsonLines = parse.GetValue(format) == "jsonl";
            if (!jsonLines && (parse.GetValue(attention) || parse.GetValue(coverage))) throw new InputException("--attention and --coverage need --format jsonl");
            if (!jsonLines && options.Alternatives > 0) throw new InputException("--alternatives needs --format jsonl");
            if (!jsonLines && parse.GetValue(alignments) && options.NBest > 1) throw new InputException("--alignments with --n-best above 1 needs --format jsonl");
            using var loaded = CommonOptions.OpenModel(parse.GetValue(model)!, parse.GetValue(weights), parse.GetValue(device)!, parse.GetValue(precision)!, parse.GetValue(threads), parse.GetValue(maxSourceTokens));
            var annotations = new AttentionAnnotations(loaded.SourceTokenizer, loaded.TargetTokenizer)
            {
                Alignments = parse.GetValue(alignments),
                Attention = parse.GetValue(attention),
                Coverage = parse.GetValue(coverage),
            };
            var writer = new TranslationWriter(jsonLines, options.NBest)
            {
                TargetTokenizer = loaded.TargetTokenizer,
                Annotations = annotations.Any ? annotations : null,
                Alternatives = options.Alternatives > 0,
            };
            var report = new FileTranslator(loaded, options, parse.GetValue(batchSize), writer) { Shard = part, PrefixFile = parse.GetValue(prefixFile) }
                .Run(inputPath, parse.GetValue(output)!, cancellation);
            return Task.FromResult(Warn(inputPath, report, parse.GetValue(maxSourceTokens)));
        });
        return command;
    }

    /// <summary>Reports lines that were not translated in full; unreadable lines make the exit code non-zero.</summary>
    private static int Warn(string inputPath, FileTranslationReport report, int maxSourceTokens)
    {
        const int shown = 20;
        foreach (var (line, problem) in report.Unreadable.Take(shown))
            Console.Error.WriteLine($"warning: {inputPath}:{line}: {problem}; wrote an empty line in its place");
        if (report.Unreadable.Count > shown)
            Console.Error.WriteLine($"warning: {inputPath}: {report.Unreadable.Count - shown} more unreadable lines");
        if (report.Truncated.Count > 0)
            Console.Error.WriteLine($"warning: {inputPath}: line{(report.Truncated.Count > 1 ? "s" : "")} {NumberList(report.Truncated, shown)} "
                + $"had more than {maxSourceTokens} subword tokens; only the first {maxSourceTokens} were translated (--max-source-tokens)");
        if (report.Unreadable.Count == 0) return 0;
        Console.Error.WriteLine($"error: {report.Unreadable.Count} of {report.Lines} lines of {inputPath} could not be read as UTF-8 text; "
            + "the output has one line per input line, empty for those");
        return CommandRunner.SomeLinesFailed;
    }

    private static string NumberList(List<long> numbers, int shown) =>
        string.Join(", ", numbers.Take(shown)) + (numbers.Count > shown ? $" and {numbers.Count - shown} more" : "");
}
