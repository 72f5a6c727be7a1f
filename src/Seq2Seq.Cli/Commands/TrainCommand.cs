using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Seq2Seq.Cli.Hosting;
using Seq2Seq.IO;

namespace Seq2Seq.Cli.Commands;

/// <summary><c>seq2seq train --config FILE.json --out DIR [--resume] [--Section:Key=value ...]</c>.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON file with Data, Tokenizer, Model and Training sections" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Run folder for tokenizers, checkpoints and logs", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint" };
        var device = CommonOptions.Device();
        var seed = new Option<int?>("--seed") { Description = "Random seed (overrides Training:Seed)" };
        var threads = CommonOptions.Threads();
        var command = new Command("train", "Train a model. Extra --Section:Key=value arguments override the configuration.")
        {
            config, output, resume, device, seed, threads,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellation) =>
        {
            var overrides = ConfigurationOverrides.Parse(parse.UnmatchedTokens);
            var configFile = parse.GetValue(config);
            if (configFile is { Exists: false }) throw InputException.In(configFile.FullName, "configuration file not found");
            var explicitOptions = new Dictionary<string, string?>();
            if (parse.GetResult(device) is not null) explicitOptions["Training:Device"] = parse.GetValue(device);
            if (parse.GetValue(threads) is int n) explicitOptions["Training:Threads"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (parse.GetValue(seed) is int s) explicitOptions["Training:Seed"] = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var request = new TrainingRequest(parse.GetValue(output)!.FullName, parse.GetValue(resume));
            return TrainingHost.RunAsync(request, builder =>
            {
                if (configFile is not null) builder.AddJsonFile(configFile.FullName, optional: false);
                builder.AddEnvironmentVariables("SEQ2SEQ_");
                builder.AddInMemoryCollection(overrides);
                builder.AddInMemoryCollection(explicitOptions);
            }, cancellation);
        });
        return command;
    }
}
