using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seq2Seq.Cli.Terminal;
using Seq2Seq.IO;
using Seq2Seq.Model;
using Seq2Seq.Training;

namespace Seq2Seq.Cli.Hosting;

/// <summary>
/// Builds and runs the Generic Host for training. Configuration layers, later ones winning:
/// <c>appsettings.json</c> beside the program, the run's JSON config, <c>SEQ2SEQ_</c> environment variables
/// (<c>SEQ2SEQ_Training__LearningRate</c>), <c>--Section:Key=value</c> overrides, then the command's own options.
/// Options are bound strictly (unknown keys are errors) and validated before training starts.
/// </summary>
public static class TrainingHost
{
    public static readonly string[] Sections = [DataOptions.Section, TokenizerOptions.Section, "Model", TrainingOptions.Section];

    /// <summary>Trains as <paramref name="request"/> says; returns the exit code.</summary>
    public static async Task<int> RunAsync(TrainingRequest request, Action<IConfigurationBuilder> configure, CancellationToken cancellation = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        configure(builder.Configuration);
        var console = ConsoleOutput.ForDiagnostics();
        builder.Logging.ClearProviders().AddProvider(new TerminalLoggerProvider(console)).SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton(request);
        builder.Services.AddSingleton<IProgress<TrainingProgress>>(sp => TrainingProgressReporter.Create(console, sp.GetRequiredService<ILogger<Trainer>>()));
        Bind<DataOptions>(builder, DataOptions.Section);
        Bind<TokenizerOptions>(builder, TokenizerOptions.Section);
        Bind<ModelConfig>(builder, "Model");
        Bind<TrainingOptions>(builder, TrainingOptions.Section);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(10));
        builder.Services.AddHostedService<TrainingService>();

        using var host = builder.Build();
        try
        {
            await host.RunAsync(cancellation);
        }
        catch (Exception e) when (ConfigurationProblems(e) is { Count: > 0 } problems)
        {
            throw new InputException("invalid configuration: " + string.Join("; ", problems));
        }
        finally
        {
            console.Flush();
        }
        return request.ExitCode;
    }

    /// <summary>
    /// The configuration errors behind a failed start (the host reports several at once in an
    /// <see cref="AggregateException"/>); empty when <paramref name="error"/> is something else.
    /// </summary>
    internal static List<string> ConfigurationProblems(Exception error)
    {
        var errors = error is AggregateException aggregate ? aggregate.Flatten().InnerExceptions.ToList() : [error];
        var problems = new List<string>();
        foreach (var e in errors)
        {
            if (e is OptionsValidationException validation) problems.AddRange(validation.Failures);
            else if (e is InvalidOperationException { InnerException: FormatException format }) problems.Add($"{e.Message} ({format.Message})");
            else if (e is InvalidOperationException && e.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase)) problems.Add(e.Message);
            else return [];
        }
        return problems;
    }

    private static void Bind<T>(HostApplicationBuilder builder, string section) where T : class =>
        builder.Services.AddOptions<T>()
            .Bind(builder.Configuration.GetSection(section), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
