using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Seq2Seq.Tests.Serving;

/// <summary>A graceful stop in process: readiness turns, new connections are refused, queued work still finishes, and the shutdown limit holds.</summary>
[Collection(ServiceCollection.Name)]
public class ServeDrainTests(ServiceFixture fixture)
{
    private string Body => $$"""{ "texts": [{{JsonSerializer.Serialize(fixture.Sentences[0])}}] }""";

    [Fact]
    public async Task A_stop_turns_readiness_refuses_new_connections_and_still_answers_a_queued_request()
    {
        var service = await TestService.StartAsync(fixture.Model, ("ShutdownSeconds", "60"));
        await using var _ = service;
        var health = service.App.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
        Task<List<string>> queued;
        Task stopping;
        using (service.Worker.Hold())
        {
            queued = service.TranslateAsync(Body);
            await ServeBatchingTests.WaitForQueue(service, 1);
            stopping = service.App.StopAsync();

            var report = await WaitFor(() => health.CheckHealthAsync(), r => r.Status == HealthStatus.Unhealthy);
            Assert.Contains("stopping", report.Entries.Values.Single().Description);
            using var fresh = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(5) };
            await WaitFor(async () => { try { await fresh.GetAsync("/healthz"); return false; } catch (HttpRequestException) { return true; } }, refused => refused);
            Assert.False(queued.IsCompleted, "the queued request was answered while the worker was held");
        }
        Assert.Equal(fixture.Plain.Take(1), await queued.WaitAsync(TimeSpan.FromMinutes(1)));
        await stopping.WaitAsync(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task The_shutdown_limit_ends_a_stop_that_work_would_hold_up()
    {
        var service = await TestService.StartAsync(fixture.Model, ("ShutdownSeconds", "1"));
        await using var _ = service;
        var hold = service.Worker.Hold();
        try
        {
            var queued = service.PostAsync("/v1/translate", Body);
            await ServeBatchingTests.WaitForQueue(service, 1);
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.App.StopAsync());
            Assert.InRange(clock.Elapsed.TotalSeconds, 0.5, 30);
            try { using var answer = await queued.WaitAsync(TimeSpan.FromSeconds(30)); Assert.NotEqual(HttpStatusCode.OK, answer.StatusCode); }
            catch (HttpRequestException) { /* the connection was cut: also not an answer */ }
        }
        finally { hold.Dispose(); }
    }

    private static async Task<T> WaitFor<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(20);
        }
    }
}
