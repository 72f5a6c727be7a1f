using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Seq2Seq.Tests.Serving;

/// <summary>Concurrent requests share batched searches, visibly in the metrics, without changing any answer.</summary>
[Collection(ServiceCollection.Name)]
public class ServeBatchingTests(ServiceFixture fixture)
{
    [Fact]
    public async Task Concurrent_requests_are_merged_into_shared_batches_without_changing_answers()
    {
        await using var service = await TestService.StartAsync(fixture.Model, ("MaxBatchRows", "256"));
        var plain = new List<Task<List<string>>>();
        var rich = new List<Task<List<string>>>();
        Task<HttpResponseMessage> bad;
        using (service.Worker.Hold())
        {
            // One request per sentence with the default options, one per sentence with other options, one bad one.
            for (int i = 0; i < fixture.Sentences.Count; i++)
            {
                string text = JsonSerializer.Serialize(fixture.Sentences[i]);
                plain.Add(service.TranslateAsync($$"""{ "texts": [{{text}}] }"""));
                rich.Add(service.TranslateAsync($$"""{ "texts": [{{text}}], {{ServiceFixture.RichOptions}} }"""));
            }
            bad = service.PostAsync("/v1/translate", """{ "texts": ["x"], "beam": 0 }""");
            await WaitForQueue(service, 2 * fixture.Sentences.Count);
        }
        for (int i = 0; i < fixture.Sentences.Count; i++)
        {
            Assert.Equal(fixture.Plain[i], Assert.Single(await plain[i]));
            Assert.Equal(fixture.Rich[i], Assert.Single(await rich[i]));
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await bad).StatusCode);

        string metrics = await service.Client.GetStringAsync("/metrics");
        // 26 requests, two option groups: two searches of 13 requests each.
        Assert.Equal(2, Value(metrics, "seq2seq_searches_total"));
        Assert.Equal(2 * fixture.Sentences.Count, Value(metrics, "seq2seq_batch_requests_sum"));
        Assert.Equal(2, Value(metrics, "seq2seq_batch_requests_count"));
        Assert.Equal(0, Value(metrics, "seq2seq_queue_length"));
    }

    [Fact]
    public async Task A_batch_is_cut_at_MaxBatchRows()
    {
        await using var service = await TestService.StartAsync(fixture.Model, ("MaxBatchRows", "4"));
        var answers = new List<Task<List<string>>>();
        using (service.Worker.Hold())
        {
            for (int i = 0; i < 6; i++)
                answers.Add(service.TranslateAsync($$"""{ "texts": {{ServiceFixture.Texts(fixture.Sentences.Take(2))}} }"""));
            await WaitForQueue(service, 6);
        }
        foreach (var answer in answers) Assert.Equal(fixture.Plain.Take(2), await answer);
        string metrics = await service.Client.GetStringAsync("/metrics");
        Assert.Equal(3, Value(metrics, "seq2seq_searches_total"));
        Assert.Equal(12, Value(metrics, "seq2seq_batch_rows_sum"));
    }

    internal static async Task WaitForQueue(TestService service, int requests)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (service.Metrics.QueueLength.Value < requests)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {service.Metrics.QueueLength.Value} of {requests} requests reached the queue");
            await Task.Delay(10);
        }
    }

    /// <summary>The value of an unlabelled sample in Prometheus text format.</summary>
    internal static double Value(string metrics, string name)
    {
        var match = Regex.Match(metrics, $"^{Regex.Escape(name)} (\\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"{name} is not in the metrics:\n{metrics}");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
