using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Seq2Seq.Serving;

/// <summary>
/// ASP.NET Core health checks for orchestrators: <c>GET /healthz</c> (liveness: 200 "ok" while the process serves
/// HTTP, no checks run) and <c>GET /readyz</c> (readiness: 200 "ready" once the model is loaded; before that and
/// while stopping, a 503 problem with Retry-After saying why).
/// </summary>
public static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (context, _) => PlainText(context, "ok\n"),
        });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadinessCheck.Name),
            ResponseWriter = WriteReadiness,
        });
    }

    private static Task WriteReadiness(HttpContext context, HealthReport report)
    {
        if (report.Status == HealthStatus.Healthy) return PlainText(context, "ready\n");
        var limits = context.RequestServices.GetRequiredService<ServeOptions>();
        string reason = report.Entries.Values.Select(e => e.Description).FirstOrDefault(d => d is not null) ?? "not ready";
        return Problems.Unavailable(context, reason, limits.RetryAfterSeconds).ExecuteAsync(context);
    }

    private static Task PlainText(HttpContext context, string text)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text);
    }
}
