using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Seq2Seq.Tests.Serving;

/// <summary>
/// Concurrent requests share the running batch, joining it at step boundaries and leaving when done, visibly in the
/// metrics, without changing any answer.
/// </summary>
[Collection(ServiceCollection.Name)]
public class ServeBatchingTests(ServiceFixture fixture)
{
    [Fact]
    public async Task Concurrent_requests_are_searched_together_without_changing_answers()
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
        // All single-text requests joined at the first step: it searched more texts than any one request holds.
        Assert.True(Value(metrics, "seq2seq_step_texts_bucket{le=\"16\"}") < Value(metrics, "seq2seq_step_texts_count"));
        Assert.Equal(2 * fixture.Sentences.Count, Value(metrics, "seq2seq_texts_total{kind=\"translate\"}"));
        Assert.Equal(0, Value(metrics, "seq2seq_queue_length"));
    }

    [Fact]
    public async Task Requests_that_join_a_running_search_get_the_answers_of_translate()
    {
        await using var service = await TestService.StartAsync(fixture.Model);
        Task<List<string>> first;
        var plain = new List<Task<List<string>>>();
        var rich = new List<Task<List<string>>>();
        using (service.Worker.Hold(steps: 2))
        {
            // Every sentence in one request, with n-best lists, alignments, attention and coverage: two steps run.
            first = service.TranslateAsync($$"""{ "texts": {{ServiceFixture.Texts(fixture.Sentences)}}, {{ServiceFixture.RichOptions}} }""");
            while (service.Worker.Steps < 2) await Task.Delay(10);
            Assert.False(first.IsCompleted, "the first request ended within two steps");
            // Then single sentences join it mid-search (the worker is held until all are queued), with its options and others.
            for (int i = 0; i < fixture.Sentences.Count; i++)
            {
                string text = JsonSerializer.Serialize(fixture.Sentences[i]);
                plain.Add(service.TranslateAsync($$"""{ "texts": [{{text}}] }"""));
                rich.Add(service.TranslateAsync($$"""{ "texts": [{{text}}], {{ServiceFixture.RichOptions}} }"""));
            }
            await WaitForQueue(service, 2 * fixture.Sentences.Count);
        }
        Assert.Equal(fixture.Rich, await first);
        for (int i = 0; i < fixture.Sentences.Count; i++)
        {
            Assert.Equal(fixture.Plain[i], Assert.Single(await plain[i]));
            Assert.Equal(fixture.Rich[i], Assert.Single(await rich[i]));
        }
    }

    [Fact]
    public async Task A_short_request_is_answered_while_a_long_one_is_still_being_searched()
    {
        // A search that must run long: forced through a prefix of a dozen German sentences. A short one arrives two
        // steps after it started, and its length limit is far below the prefix's length.
        string longText = fixture.Sentences[1], longPrefix = string.Join(" ", fixture.Trained.Test.Take(12).Select(p => p.De)) + " ";
        string input = fixture.Trained.Directory.WriteLines("serve-long-in.txt", [longText]);
        string prefixes = fixture.Trained.Directory.WriteLines("serve-long-prefix.txt", [longPrefix]);
        string output = fixture.Trained.Directory.File("serve-long-out.jsonl");
        var cli = Support.CliProcess.Run("translate", "--model", fixture.Model, "--input", input, "--prefix-file", prefixes, "--output", output,
            "--format", "jsonl", "--beam", "5", "--threads", "1");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        await using var service = await TestService.StartAsync(fixture.Model, ("MaxJoinWaitSteps", "0"));
        Task<List<string>> longAnswer, shortAnswer;
        using (service.Worker.Hold(steps: 2))
        {
            longAnswer = service.TranslateAsync($$"""{ "texts": [{{JsonSerializer.Serialize(longText)}}], "prefixes": [{{JsonSerializer.Serialize(longPrefix)}}] }""");
            while (service.Worker.Steps < 2) await Task.Delay(10);
            shortAnswer = service.TranslateAsync($$"""{ "texts": [{{JsonSerializer.Serialize(fixture.Sentences[0])}}] }""");
            await WaitForQueue(service, 1);
            // One step at a time, until the worker has answered a request: it must be the short one.
            while (service.Metrics.SearchTime.Count == 0)
            {
                long next = service.Worker.Steps + 1;
                service.Worker.Hold(steps: 1);
                while (service.Worker.Steps < next) await Task.Delay(5);
            }
            Assert.Equal(fixture.Plain[0], Assert.Single(await shortAnswer.WaitAsync(TimeSpan.FromMinutes(1))));
            Assert.False(longAnswer.IsCompleted, "the long text was done before the short one");
        }
        Assert.Equal(File.ReadAllLines(output), await longAnswer);
    }

    [Fact]
    public async Task The_running_batch_never_holds_more_than_MaxBatchRows_texts()
    {
        await using var service = await TestService.StartAsync(fixture.Model, ("MaxBatchRows", "4"));
        var answers = new List<Task<List<string>>>();
        using (service.Worker.Hold())
        {
            for (int i = 0; i < 6; i++)
                answers.Add(service.TranslateAsync($$"""{ "texts": {{ServiceFixture.Texts(fixture.Sentences.Take(3))}} }"""));
            await WaitForQueue(service, 6);
        }
        foreach (var answer in answers) Assert.Equal(fixture.Plain.Take(3), await answer);
        string metrics = await service.Client.GetStringAsync("/metrics");
        Assert.Equal(Value(metrics, "seq2seq_step_texts_count"), Value(metrics, "seq2seq_step_texts_bucket{le=\"4\"}"));
        Assert.True(Value(metrics, "seq2seq_step_texts_bucket{le=\"2\"}") < Value(metrics, "seq2seq_step_texts_count"), "requests should share steps");
        Assert.Equal(18, Value(metrics, "seq2seq_texts_total{kind=\"translate\"}"));
    }

    [Fact]
    public async Task The_running_batch_holds_no_more_source_positions_than_MaxBatchSourceTokens()
    {
        // Room for one text's padded source at a time: the texts are searched one after the other.
        await using var service = await TestService.StartAsync(fixture.Model, ("MaxBatchSourceTokens", "16"));
        Task<List<string>> answer;
        using (service.Worker.Hold())
        {
            answer = service.TranslateAsync($$"""{ "texts": {{ServiceFixture.Texts(fixture.Sentences.Take(4))}} }""");
            await WaitForQueue(service, 1);
        }
        Assert.Equal(fixture.Plain.Take(4), await answer);
        string metrics = await service.Client.GetStringAsync("/metrics");
        Assert.Equal(Value(metrics, "seq2seq_step_texts_count"), Value(metrics, "seq2seq_step_texts_bucket{le=\"1\"}"));
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
