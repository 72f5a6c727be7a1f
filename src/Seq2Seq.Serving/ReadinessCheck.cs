using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Seq2Seq.Serving;

/// <summary>Ready to take work: the model is loaded and the service is not stopping.</summary>
public sealed class ReadinessCheck(SearchWorker worker) : IHealthCheck
{
    public const string Name = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            worker.Stopping ? HealthCheckResult.Unhealthy("the service is stopping")
            : worker.Loaded.IsFaulted ? HealthCheckResult.Unhealthy("the model could not be loaded")
            : worker.Model is null ? HealthCheckResult.Unhealthy("the model is still loading")
            : HealthCheckResult.Healthy());
}
