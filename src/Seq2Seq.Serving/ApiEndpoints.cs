using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Seq2Seq.Inference;
using Seq2Seq.IO;

namespace Seq2Seq.Serving;

/// <summary>
/// The HTTP API: <c>POST /v1/translate</c> (each entry exactly a line of <c>translate --format jsonl</c>),
/// <c>POST /v1/score</c> (each entry a line of <c>score</c>) and <c>GET /v1/model</c>, in one endpoint group.
/// Model work goes through the <see cref="SearchWorker"/>.
/// </summary>
public static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        // Every /v1 endpoint answers 503 with Retry-After while the model loads or the queue is full.
        var v1 = app.MapGroup("/v1").WithTags("translation").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        v1.MapPost("/translate", Translate)
            .WithName("translate").WithSummary("Translate texts; each entry has the fields of a line of `translate --format jsonl`")
            .Accepts<TranslateRequest>("application/json").Produces<TranslateResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        v1.MapPost("/score", Score)
            .WithName("score").WithSummary("Score source/target pairs by forced decoding; each entry has the fields of a line of `score`")
            .Accepts<ScoreRequest>("application/json").Produces<ScoreResponse>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        v1.MapGet("/model", (ModelDescription description, ServeOptions limits, HttpContext context) =>
                description.Current is { } json ? JsonAnswer(json) : Loading(context, limits))
            .WithName("model").WithSummary("The checkpoint, model configuration, vocabulary sizes and parameter count")
            .Produces<ModelResponse>(StatusCodes.Status200OK, "application/json");
    }

    private static async Task<IResult> Translate(HttpContext context, SearchWorker worker, ServeOptions limits, ServiceMetrics metrics)
    {
        var (translations, request, problem) = await SearchAsync(context, worker, limits, metrics);
        if (problem is not null) return problem;
        var model = worker.Model!;
        var annotations = new AttentionAnnotations(model.SourceTokenizer, model.TargetTokenizer)
        {
            Alignments = request!.Alignments,
            Attention = request.Attention,
            Coverage = request.Coverage,
        };
        var writer = new TranslationWriter(jsonLines: true, request.NBest)
        {
            TargetTokenizer = model.TargetTokenizer,
            Annotations = annotations.Any ? annotations : null,
            Alternatives = request.Alternatives > 0,
        };
        return JsonAnswer(new JsonObject { ["translations"] = new JsonArray([.. translations!.Select(t => (JsonNode)writer.ToJson(t))]) });
    }

    private static async Task<IResult> Score(HttpContext context, SearchWorker worker, ServeOptions limits, ServiceMetrics metrics)
    {
        if (worker.Model is not { } model) return Loading(context, limits);
        using var arriving = worker.Arriving();
        var (request, problem) = await RequestReader.ReadAsync<ScoreRequest>(context, limits.MaxBodyBytes);
        if (problem is not null) return problem;
        if (RequestValidation.Check(request!, limits) is { } invalid) return invalid;
        var pairs = request!.Pairs.Select(p => (p.Source, p.Target)).ToList();
        var job = new ScoreJob(pairs, context.RequestAborted);
        // Counted out before queueing, so the worker never waits for the very request it has just been given.
        arriving.Dispose();
        bool queued = worker.TryEnqueue(job);
        if (!queued) return QueueFull(context, limits, metrics);
        var scores = await job.Result.WaitAsync(context.RequestAborted);
        var target = model.TargetTokenizer;
        return JsonAnswer(new JsonObject
        {
            ["scores"] = new JsonArray([.. pairs.Select((p, i) => (JsonNode)ScoreWriter.ToJson(p.Source, p.Target, scores[i], target))]),
        });
    }

    /// <summary>
    /// Reads and checks a translate request and waits for its translations, or returns the problem to answer with.
    /// Shared by the API and the explorer.
    /// </summary>
    internal static async Task<(IReadOnlyList<Translation>? Translations, TranslateRequest? Request, IResult? Problem)> SearchAsync(
        HttpContext context, SearchWorker worker, ServeOptions limits, ServiceMetrics metrics)
    {
        if (worker.Model is null) return (null, null, Loading(context, limits));
        using var arriving = worker.Arriving();
        var (request, problem) = await RequestReader.ReadAsync<TranslateRequest>(context, limits.MaxBodyBytes);
        if (problem is not null) return (null, null, problem);
        var (options, invalid) = RequestValidation.Check(request!, limits);
        if (invalid is not null) return (null, null, invalid);
        if (RequestValidation.CheckPrefixes(request!, worker.Model) is { } badPrefix) return (null, null, badPrefix);
        // A client that goes away takes its texts out of the running batch: nobody would read their translations.
        var job = new TranslateJob(request!.Texts, options!, request.Prefixes, context.RequestAborted);
        // Counted out before queueing, so the worker never waits for the very request it has just been given.
        arriving.Dispose();
        bool queued = worker.TryEnqueue(job);
        if (!queued) return (null, null, QueueFull(context, limits, metrics));
        return (await job.Result.WaitAsync(context.RequestAborted), request, null);
    }

    /// <summary>Compact JSON with readable non-ASCII text, as <c>translate</c> writes its lines.</summary>
    internal static IResult JsonAnswer(JsonNode json) =>
        TypedResults.Text(json.ToJsonString(JsonDefaults.Line), "application/json", Encoding.UTF8);

    private static IResult Loading(HttpContext context, ServeOptions limits) =>
        Problems.Unavailable(context, "the model is still loading", limits.RetryAfterSeconds);

    private static IResult QueueFull(HttpContext context, ServeOptions limits, ServiceMetrics metrics)
    {
        metrics.Rejected.WithLabels("queue_full").Inc();
        return Problems.Unavailable(context, $"the queue is full ({limits.MaxQueuedRequests} requests waiting, Serve:MaxQueuedRequests); retry later",
            limits.RetryAfterSeconds, limits.MaxQueuedRequests);
    }
}
