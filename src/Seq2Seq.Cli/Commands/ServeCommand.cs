using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Seq2Seq.Cli.Hosting;
using Seq2Seq.Cli.Terminal;
using Seq2Seq.Serving;
using Seq2Seq.Inference;
using Seq2Seq.IO;

namespace Seq2Seq.Cli.Commands;

/// <summary><c>seq2seq serve --model RUN [--urls http://127.0.0.1:8080] [--Serve:Key=value ...]</c>: the HTTP service and live explorer.</summary>
public static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "A checkpoint folder, or a training run folder (its best checkpoint)", Required = true };
        var threads = CommonOptions.Threads();
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, separated by ';' (port 0 picks a free port)", DefaultValueFactory = _ => DefaultUrls };
        var config = new Option<FileInfo?>("--config") { Description = "JSON file with a Serve section (limits and batching)" };
        var maxSourceTokens = new Option<int>("--max-source-tokens")
        {
            Description = "Longer source texts are truncated to this many subword tokens (as in translate)",
            DefaultValueFactory = _ => TranslationModelOptions.DefaultMaxSourceTokens,
        };
        maxSourceTokens.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--max-source-tokens must be at least 1"); });
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var command = new Command("serve", "Serve translations over HTTP (JSON API, Prometheus metrics, live attention explorer). "
            + "Extra --Serve:Key=value arguments override the configuration.")
        {
            model, urls, config, maxSourceTokens, device, precision, threads,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellation) =>
        {
            var overrides = ConfigurationOverrides.Parse(parse.UnmatchedTokens, ServeHost.Sections);
            var configFile = parse.GetValue(config);
            if (configFile is { Exists: false }) throw InputException.In(configFile.FullName, "configuration file not found");
            var modelPath = parse.GetValue(model)!;
            if (!modelPath.Exists) throw InputException.In(modelPath.FullName, "model folder not found");
            var request = new ServeRequest(modelPath, parse.GetValue(urls)!, parse.GetValue(device)!, parse.GetValue(precision)!, parse.GetValue(maxSourceTokens), parse.GetValue(threads));
            return RunAsync(request, builder =>
            {
                if (configFile is not null) builder.AddJsonFile(configFile.FullName, optional: false);
                builder.AddEnvironmentVariables("SEQ2SEQ_");
                builder.AddInMemoryCollection(overrides);
            }, cancellation);
        });
        return command;
    }

    /// <summary>Runs the service with terminal logging; a configuration the host refuses becomes one message naming every bad key.</summary>
    private static async Task<int> RunAsync(ServeRequest request, Action<IConfigurationBuilder> configure, CancellationToken cancellation)
    {
        try
        {
            return await ServeHost.RunAsync(request, configure, new TerminalLoggerProvider(ConsoleOutput.ForDiagnostics()), cancellation);
        }
        catch (Exception e) when (TrainingHost.ConfigurationProblems(e) is { Count: > 0 } problems)
        {
            throw new InputException("invalid configuration: " + string.Join("; ", problems));
        }
    }
}
