using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Seq2Seq.Data;
using Seq2Seq.Inference;
using Seq2Seq.IO;

namespace Seq2Seq.Cli.Commands;

/// <summary><c>seq2seq score --model DIR --source FILE --target FILE [--output FILE]</c>: forced-decoding log-probabilities.</summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var weights = CommonOptions.EnsembleWeights();
        var source = new Option<string>("--source") { Description = "Source sentences, one per line", Required = true };
        var target = new Option<string>("--target") { Description = "Target sentences aligned with --source", Required = true };
        var output = new Option<string>("--output") { Description = "JSONL output (- for standard output)", DefaultValueFactory = _ => "-" };
        var batchSize = CommonOptions.BatchSize();
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var threads = CommonOptions.Threads();
        var command = new Command("score", "Score given translations: log-probability of each target token under the model")
        {
            model, weights, source, target, output, batchSize, device, precision, threads,
        };
        command.SetAction((parse, cancellation) =>
        {
            var pairs = ParallelCorpus.Read(new CorpusFiles(parse.GetValue(source)!, parse.GetValue(target)!), allowEmpty: true);
            using var loaded = CommonOptions.OpenModel(parse.GetValue(model)!, parse.GetValue(weights), parse.GetValue(device)!, parse.GetValue(precision)!, parse.GetValue(threads));
            var scored = loaded.Score(pairs.Select(p => (p.Source, p.Target)).ToList(), parse.GetValue(batchSize));
            var text = new StringBuilder();
            for (int i = 0; i < pairs.Count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                text.Append(ScoreWriter.ToJson(pairs[i].Source, pairs[i].Target, scored[i], loaded.TargetTokenizer).ToJsonString(JsonDefaults.Line)).Append('\n');
            }
            OutputFile.Write(parse.GetValue(output)!, text.ToString());
            return Task.FromResult(0);
        });
        return command;
    }
}
