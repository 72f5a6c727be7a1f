using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using Seq2Seq.IO;

namespace Seq2Seq.Serving;

/// <summary>What to serve and where: the command line of <c>seq2seq serve</c>.</summary>
public sealed record ServeRequest(DirectoryInfo Model, string Urls, string Device = "auto", string Precision = "fp32",
    int MaxSourceTokens = TranslationModelOptions.DefaultMaxSourceTokens, int? Threads = null);

/// <summary>
/// Builds the service: Kestrel and minimal APIs in the Generic Host, with the configuration layers of training
/// (<c>appsettings.json</c> beside the program, then whatever the caller adds: a JSON file, <c>SEQ2SEQ_</c>
/// environment variables, <c>--Serve:Key=value</c>), the caller's logging, <see cref="ServeOptions"/> bound strictly
/// and validated at start, the search worker as a hosted service, health checks, and a graceful stop: on SIGTERM or
/// Ctrl+C Kestrel stops accepting, requests in flight finish, the worker drains, exit 0.
/// </summary>
public static class ServeHost
{
    public static readonly string[] Sections = [ServeOptions.Section];

    /// <summary>Builds the application; <see cref="RunAsync"/> runs it, tests start it on port 0.</summary>
    public static WebApplication Build(ServeRequest request, Action<IConfigurationBuilder> configure, ILoggerProvider logging)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory(), Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        configure(builder.Configuration);
        builder.WebHost.UseUrls(request.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.Logging.ClearProviders().AddProvider(logging)
            .SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning);

        builder.Services.AddOptions<ServeOptions>()
            .BindConfiguration(ServeOptions.Section, b => b.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<ServeOptions>>().Value);
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ServeOptions>>((host, serve) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(serve.Value.ShutdownSeconds));
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServeOptions>>((k, serve) =>
        {
            k.AddServerHeader = false;
            // A backstop only: RequestReader enforces MaxBodyBytes itself and answers 413 with a problem body,
            // which Kestrel's own limit would pre-empt by cutting the connection.
            k.Limits.MaxRequestBodySize = 2L * serve.Value.MaxBodyBytes + 65536;
        });
        var metrics = new ServiceMetrics();
        var description = new ModelDescription();
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton(description);
        builder.Services.AddSingleton(sp => new SearchWorker(() =>
        {
            var loaded = TranslationModel.Open(request.Model.FullName, new TranslationModelOptions
            {
                Device = request.Device, Precision = request.Precision, MaxSourceTokens = request.MaxSourceTokens, Threads = request.Threads,
                Logger = sp.GetRequiredService<ILogger<TranslationModel>>(),
            });
            description.Describe(loaded.Info);
            return loaded;
        }, sp.GetRequiredService<IOptions<ServeOptions>>(), metrics, sp.GetRequiredService<ILogger<SearchWorker>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SearchWorker>());
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>(ReadinessCheck.Name, tags: [ReadinessCheck.Name]);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = FrameworkProblems.Explain);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Seq2Seq translation service";
            document.Info.Description = "seq2seq serve: translate, score and inspect a trained model. See docs/serve.md.";
            return Task.CompletedTask;
        }));

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseHttpMetrics(o => o.SetMetricFactory(metrics.Factory));
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/v1"), api => api.Use(async (context, next) =>
        {
            metrics.InFlight.Inc();
            try { await next(context); }
            finally { metrics.InFlight.Dec(); }
        }));
        HealthEndpoints.Map(app);
        ApiEndpoints.Map(app);
        ExplorerEndpoints.Map(app);
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapOpenApi(OpenApiPath);

        var worker = app.Services.GetRequiredService<SearchWorker>();
        var lifetime = app.Lifetime;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Seq2Seq.Serve");
        lifetime.ApplicationStarted.Register(() =>
        {
            foreach (string address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
                logger.LogInformation("listening on {Address}", address);
            worker.Loaded.ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully) logger.LogInformation("model {Model} loaded; ready", request.Model.FullName);
                else lifetime.StopApplication();
            }, TaskScheduler.Default);
        });
        return app;
    }

    /// <summary>The path of the OpenAPI description.</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>
    /// Runs the service until SIGTERM, Ctrl+C or <paramref name="cancellation"/>; returns the exit code. A configuration
    /// that fails validation throws the host's <see cref="OptionsValidationException"/> before anything is served.
    /// </summary>
    public static async Task<int> RunAsync(ServeRequest request, Action<IConfigurationBuilder> configure, ILoggerProvider logging,
        CancellationToken cancellation = default)
    {
        await using var app = Build(request, configure, logging);
        var worker = app.Services.GetRequiredService<SearchWorker>();
        try
        {
            await app.RunAsync(cancellation);
        }
        catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            throw new InputException($"cannot listen on {request.Urls}: {e.Message}");
        }
        if (worker.Loaded.IsFaulted) throw worker.Loaded.Exception!.InnerException!;
        return 0;
    }
}
