using System.Text;
using System.Text.Json;
using Seq2Seq.Inference;
using Seq2Seq.Serving;

namespace Seq2Seq.Tests.Serving;

/// <summary>
/// A request whose client goes away is dropped at the next step boundary: queued, its texts never join the running
/// batch; searching, they leave it. It is never answered, the metrics count it, and the requests that shared its
/// steps get the answers of <c>translate</c>.
/// </summary>
[Collection(ServiceCollection.Name)]
public class ServeAbandonTests(ServiceFixture fixture)
{
    /// <summary>Texts that search long (forced through a dozen German sentences), so they are still searching when dropped.</summary>
    private (string[] Texts, string[] Prefixes) LongTexts(int count)
    {
        string prefix = string.Join(" ", fixture.Trained.Test.Take(12).Select(p => p.De)) + " ";
        return ([.. Enumerable.Repeat(fixture.Sentences[1], count)], [.. Enumerable.Repeat(prefix, count)]);
    }

    [Fact]
    public async Task A_request_whose_client_goes_away_mid_search_leaves_at_the_next_step_unanswered_and_its_neighbour_gets_the_answers_of_translate()
    {
        await using var service = await TestService.StartAsync(fixture.Model);
        using var leaving = new CancellationTokenSource();
        Task<HttpResponseMessage> gone;
        Task<List<string>> staying;
        using (service.Worker.Hold())
        {
            // 16 texts that go away beside every test sentence: a step searches more than 16 texts while they are there.
            var (texts, prefixes) = LongTexts(16);
            gone = service.Client.PostAsync("/v1/translate", Json($$"""{ "texts": {{ServiceFixture.Texts(texts)}}, "prefixes": {{ServiceFixture.Texts(prefixes)}} }"""),
                leaving.Token);
            staying = service.TranslateAsync($$"""{ "texts": {{ServiceFixture.Texts(fixture.Sentences)}} }""");
            await ServeBatchingTests.WaitForQueue(service, 2);
            service.Worker.Hold(steps: 2);
            await WaitForSteps(service, 2);
            leaving.Cancel();
            // The service has seen the client go: the request's handler has stopped waiting for its answer.
            await WaitUntil(() => service.Metrics.InFlight.Value == 1, "the cancelled request is still in flight");
            Assert.Equal(0, await Metric(service, "seq2seq_step_texts_bucket{le=\"16\"}"));   // no step yet without them
            Assert.Equal(0, service.Metrics.AbandonedRequests.WithLabels("searching").Value);

            service.Worker.Hold(steps: 1);
            await WaitForSteps(service, 3);
            Assert.Equal(1, service.Metrics.AbandonedRequests.WithLabels("searching").Value);
            Assert.Equal(1, await Metric(service, "seq2seq_step_texts_bucket{le=\"16\"}"));   // the next step ran without them
        }
        Assert.Equal(fixture.Plain, await staying);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);

        string metrics = await service.Client.GetStringAsync("/metrics");
        Assert.Equal(1, ServeBatchingTests.Value(metrics, "seq2seq_abandoned_requests_total{stage=\"searching\"}"));
        Assert.Equal(16, ServeBatchingTests.Value(metrics, "seq2seq_abandoned_texts_total{kind=\"translate\"}"));
        // Only the request that stayed was answered.
        Assert.Equal(fixture.Sentences.Count, ServeBatchingTests.Value(metrics, "seq2seq_texts_total{kind=\"translate\"}"));
    }

    [Fact]
    public async Task A_request_cancelled_while_queued_never_joins_the_running_batch()
    {
        await using var service = await TestService.StartAsync(fixture.Model);
        using var leaving = new CancellationTokenSource();
        Task<HttpResponseMessage> gone;
        Task<List<string>> staying;
        using (service.Worker.Hold())
        {
            gone = service.Client.PostAsync("/v1/translate", Json($$"""{ "texts": {{ServiceFixture.Texts(fixture.Sentences.Take(4))}} }"""), leaving.Token);
            await ServeBatchingTests.WaitForQueue(service, 1);
            staying = service.TranslateAsync($$"""{ "texts": [{{JsonSerializer.Serialize(fixture.Sentences[0])}}] }""");
            await ServeBatchingTests.WaitForQueue(service, 2);
            leaving.Cancel();
            await WaitUntil(() => service.Metrics.InFlight.Value == 1, "the cancelled request is still in flight");
        }
        Assert.Equal(fixture.Plain[0], Assert.Single(await staying));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);

        string metrics = await service.Client.GetStringAsync("/metrics");
        Assert.Equal(1, ServeBatchingTests.Value(metrics, "seq2seq_abandoned_requests_total{stage=\"queued\"}"));
        Assert.Equal(4, ServeBatchingTests.Value(metrics, "seq2seq_abandoned_texts_total{kind=\"translate\"}"));
        // Every step searched the one text that stayed.
        Assert.Equal(ServeBatchingTests.Value(metrics, "seq2seq_step_texts_count"), ServeBatchingTests.Value(metrics, "seq2seq_step_texts_bucket{le=\"1\"}"));
        Assert.Equal(1, ServeBatchingTests.Value(metrics, "seq2seq_texts_total{kind=\"translate\"}"));
    }

    [Fact]
    public async Task An_abandoned_job_with_texts_still_waiting_for_room_drops_them_all_and_is_never_answered()
    {
        // Room for two texts: two of the four join, two wait for room when the job is abandoned.
        await using var service = await TestService.StartAsync(fixture.Model, ("MaxBatchRows", "2"));
        using var leaving = new CancellationTokenSource();
        var (texts, prefixes) = LongTexts(4);
        var gone = new TranslateJob(texts, new SearchOptions { BeamSize = 5 }, prefixes, leaving.Token);
        var scoring = new ScoreJob([(fixture.Trained.Test[0].En, fixture.Trained.Test[0].De)], leaving.Token);
        Task<List<string>> staying;
        using (service.Worker.Hold())
        {
            Assert.True(service.Worker.TryEnqueue(gone));
            service.Worker.Hold(steps: 1);
            await WaitForSteps(service, 1);
            Assert.Equal(1, await Metric(service, "seq2seq_step_texts_bucket{le=\"2\"}") - await Metric(service, "seq2seq_step_texts_bucket{le=\"1\"}"));
            Assert.True(service.Worker.TryEnqueue(scoring));
            staying = service.TranslateAsync($$"""{ "texts": [{{JsonSerializer.Serialize(fixture.Sentences[0])}}] }""");
            await ServeBatchingTests.WaitForQueue(service, 2);
            leaving.Cancel();
        }
        Assert.Equal(fixture.Plain[0], Assert.Single(await staying));
        Assert.False(gone.Result.IsCompleted, "the abandoned translate job was answered");
        Assert.False(scoring.Result.IsCompleted, "the abandoned score job was answered");
        Assert.Equal(1, service.Metrics.AbandonedRequests.WithLabels("searching").Value);
        Assert.Equal(1, service.Metrics.AbandonedRequests.WithLabels("queued").Value);
        Assert.Equal(4, service.Metrics.AbandonedTexts.WithLabels("translate").Value);
        Assert.Equal(1, service.Metrics.AbandonedTexts.WithLabels("score").Value);
        // After the first step, every step searched only the text that stayed: the two waiting texts never joined.
        Assert.Equal(await Metric(service, "seq2seq_step_texts_count") - 1, await Metric(service, "seq2seq_step_texts_bucket{le=\"1\"}"));
    }

    [Fact]
    public async Task A_queued_request_whose_client_goes_away_gives_its_place_in_the_queue_back_at_once()
    {
        await using var service = await TestService.StartAsync(fixture.Model, ("MaxQueuedRequests", "2"));
        string body = $$"""{ "texts": [{{JsonSerializer.Serialize(fixture.Sentences[0])}}] }""";
        using var leaving = new CancellationTokenSource();
        Task<HttpResponseMessage> gone;
        Task<List<string>> first, later;
        using (service.Worker.Hold())
        {
            gone = service.Client.PostAsync("/v1/translate", Json(body), leaving.Token);
            await ServeBatchingTests.WaitForQueue(service, 1);
            first = service.TranslateAsync(body);
            await ServeBatchingTests.WaitForQueue(service, 2);
            leaving.Cancel();
            await WaitUntil(() => service.Metrics.QueueLength.Value == 1, "the cancelled request still holds its place in the queue");
            // The queue is full of requests still wanted only: this one is queued, not refused with 503.
            later = service.TranslateAsync(body);
            await ServeBatchingTests.WaitForQueue(service, 2);
        }
        Assert.Equal(fixture.Plain[0], Assert.Single(await first));
        Assert.Equal(fixture.Plain[0], Assert.Single(await later));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);
        Assert.Equal(0, service.Metrics.Rejected.WithLabels("queue_full").Value);
        Assert.Equal(1, service.Metrics.AbandonedRequests.WithLabels("queued").Value);
        Assert.Equal(0, service.Metrics.QueueLength.Value);
    }

    private static async Task<double> Metric(TestService service, string name) =>
        ServeBatchingTests.Value(await service.Client.GetStringAsync("/metrics"), name);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task WaitForSteps(TestService service, long steps) =>
        await WaitUntil(() => service.Worker.Steps >= steps, $"the worker did not reach step {steps}");

    private static async Task WaitUntil(Func<bool> condition, string message)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, message);
            await Task.Delay(10);
        }
    }
}
