using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Seq2Seq.Inference;
using Seq2Seq.Inspection;

namespace Seq2Seq.Serving;

/// <summary>
/// The live explorer: <c>GET /</c> serves <see cref="ExplorerPage"/>, whose script calls <c>POST /v1/explore</c>:
/// the translations of <c>/v1/translate</c> plus, per text, the attention heatmaps of its n-best hypotheses as
/// drawn by <see cref="HeatmapHtml"/> (the same markup as <c>attention --out FILE.html</c>).
/// </summary>
public static class ExplorerEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => TypedResults.Content(ExplorerPage.Html, "text/html; charset=utf-8"))
            .WithName("explorer").WithSummary("The live explorer page (self-contained HTML)").Produces(StatusCodes.Status200OK, contentType: "text/html");
        app.MapPost("/v1/explore", Explore)
            .WithName("explore").WithSummary("Translations plus, per text, the HTML attention heatmaps of its n-best hypotheses (for the explorer)")
            .Accepts<TranslateRequest>("application/json").Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> Explore(HttpContext context, SearchWorker worker, ServeOptions limits, ServiceMetrics metrics)
    {
        var (translations, request, problem) = await ApiEndpoints.SearchAsync(context, worker, limits, metrics);
        if (problem is not null) return problem;
        var model = worker.Model!;
        var coverage = new AttentionAnnotations(model.SourceTokenizer, model.TargetTokenizer) { Coverage = true };
        var writer = new TranslationWriter(jsonLines: true, request!.NBest)
        {
            TargetTokenizer = model.TargetTokenizer,
            Annotations = coverage,
            Alternatives = request.Alternatives > 0,
        };
        var entries = new JsonArray();
        var heatmaps = new JsonArray();
        foreach (var translation in translations!)
        {
            entries.Add(writer.ToJson(translation));
            heatmaps.Add(translation.Candidates.Count == 0 ? null : Heatmap(translation, model.SourceTokenizer, model.TargetTokenizer));
        }
        return ApiEndpoints.JsonAnswer(new JsonObject { ["translations"] = entries, ["heatmaps"] = heatmaps });
    }

    /// <summary>One heatmap per hypothesis, best first, selectable by the page's hypothesis selector.</summary>
    private static string Heatmap(Translation translation, Text.SubwordTokenizer source, Text.SubwordTokenizer target)
    {
        var matrices = translation.Candidates
            .Select(c => AttentionMatrices.Of(translation.SourceIds, c.Hypothesis.Tokens, c.Hypothesis.Attention, source, target))
            .ToList();
        var titles = translation.Candidates
            .Select((c, k) => string.Create(CultureInfo.InvariantCulture, $"{k + 1}. {c.Text} (score {c.Hypothesis.Score:0.000})"))
            .ToList();
        return HeatmapHtml.Body(matrices, titles, "Hypothesis");
    }
}
