using System.Net;
using System.Text;
using System.Text.Json;

namespace Seq2Seq.Tests.Serving;

/// <summary>The configured limits: texts per request, characters per text, body size, queue length (503 + Retry-After).</summary>
[Collection(ServiceCollection.Name)]
public class ServeLimitsTests(ServiceFixture fixture)
{
    [Fact]
    public async Task Limits_name_the_field_and_the_limit()
    {
        await using var service = await TestService.StartAsync(fixture.Model,
            ("MaxTextsPerRequest", "3"), ("MaxCharactersPerText", "20"), ("MaxBodyBytes", "300"));
        var problem = await ServeBadRequestTests.Problem(await service.PostAsync("/v1/translate", """{ "texts": ["a", "b", "c", "d"] }"""), 400, "too many texts");
        Assert.Equal("texts", problem["field"]!.GetValue<string>());
        Assert.Equal(3, problem["limit"]!.GetValue<int>());

        problem = await ServeBadRequestTests.Problem(await service.PostAsync("/v1/translate", """{ "texts": ["a", "twenty-one characters"] }"""), 400, "long text");
        Assert.Equal("texts[1]", problem["field"]!.GetValue<string>());
        Assert.Equal(20, problem["limit"]!.GetValue<int>());

        // Twenty characters that take more than twenty UTF-16 units still pass.
        var emoji = string.Concat(Enumerable.Repeat("😀", 20));
        using (var ok = await service.PostAsync("/v1/translate", $$"""{ "texts": [{{JsonSerializer.Serialize(emoji)}}] }"""))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        string big = $$"""{ "texts": [{{JsonSerializer.Serialize(new string('a', 400))}}] }""";
        problem = await ServeBadRequestTests.Problem(await service.PostAsync("/v1/translate", big), 413, "large body");
        Assert.Equal(300, problem["limit"]!.GetValue<int>());

        // Without a Content-Length (chunked), the limit holds as well.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/translate") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await ServeBadRequestTests.Problem(await service.Client.SendAsync(request), 413, "large chunked body");
    }

    [Fact]
    public async Task A_full_queue_answers_503_with_Retry_After_and_the_queued_requests_still_succeed()
    {
        await using var service = await TestService.StartAsync(fixture.Model, ("MaxQueuedRequests", "2"), ("RetryAfterSeconds", "7"));
        string body = $$"""{ "texts": [{{JsonSerializer.Serialize(fixture.Sentences[0])}}] }""";
        Task<List<string>> first, second;
        using (service.Worker.Hold())
        {
            first = service.TranslateAsync(body);
            second = service.TranslateAsync(body);
            await ServeBatchingTests.WaitForQueue(service, 2);
            using var refused = await service.PostAsync("/v1/translate", body);
            Assert.Equal("7", refused.Headers.GetValues("Retry-After").Single());
            var problem = await ServeBadRequestTests.Problem(refused, 503, "full queue");
            Assert.Equal(2, problem["limit"]!.GetValue<int>());
        }
        Assert.Equal(fixture.Plain[0], Assert.Single(await first));
        Assert.Equal(fixture.Plain[0], Assert.Single(await second));
        string metrics = await service.Client.GetStringAsync("/metrics");
        Assert.Contains("seq2seq_rejected_total{reason=\"queue_full\"} 1", metrics);
    }
}
