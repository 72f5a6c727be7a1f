using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seq2Seq.Tests.Serving;

/// <summary>Each endpoint end to end on a trained model; translations and scores equal the commands'.</summary>
[Collection(ServiceCollection.Name)]
public class ServeEndpointTests(ServiceFixture fixture)
{
    private TestService Service => fixture.Service;

    [Fact]
    public async Task Translate_answers_exactly_what_translate_writes()
    {
        var entries = await Service.TranslateAsync($$"""{ "texts": {{ServiceFixture.Texts(fixture.Sentences)}} }""");
        Assert.Equal(fixture.Plain, entries);
        Assert.Contains(entries, e => JsonNode.Parse(e)!["translation"]!.GetValue<string>().Length > 0);
    }

    [Fact]
    public async Task Translate_with_n_best_alignments_attention_and_coverage_equals_translate()
    {
        var entries = await Service.TranslateAsync($$"""{ "texts": {{ServiceFixture.Texts(fixture.Sentences)}}, {{ServiceFixture.RichOptions}} }""");
        Assert.Equal(fixture.Rich, entries);
        var first = JsonNode.Parse(entries[0])!;
        Assert.Equal(3, first["n_best"]!.AsArray().Count);
        Assert.NotNull(first["attention"]);
        Assert.NotNull(first["coverage"]);
    }

    [Fact]
    public async Task Each_text_alone_gets_the_same_answer_as_in_a_batch()
    {
        for (int i = 0; i < 4; i++)
        {
            var alone = await Service.TranslateAsync($$"""{ "texts": [{{JsonSerializer.Serialize(fixture.Sentences[i])}}] }""");
            Assert.Equal(fixture.Plain[i], Assert.Single(alone));
        }
    }

    [Fact]
    public async Task Score_answers_exactly_what_score_writes()
    {
        var pairs = fixture.Trained.Test.Take(6).Select(p => new JsonObject { ["source"] = p.En, ["target"] = p.De });
        var body = new JsonObject { ["pairs"] = new JsonArray([.. pairs]) }.ToJsonString();
        using var response = await Service.PostAsync("/v1/score", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal(fixture.Scores, TestService.Entries(text, "scores"));
    }

    [Fact]
    public async Task Model_describes_the_checkpoint()
    {
        var model = JsonNode.Parse(await Service.Client.GetStringAsync("/v1/model"))!;
        Assert.StartsWith(fixture.Model, model["checkpoint"]!["directory"]!.GetValue<string>());
        Assert.True(model["checkpoint"]!["step"]!.GetValue<long>() > 0);
        Assert.Equal(32, model["config"]!["embedding_size"]!.GetValue<int>());
        Assert.True(model["source_vocabulary_size"]!.GetValue<int>() > 4);
        Assert.True(model["parameters"]!.GetValue<long>() > 10_000);
        Assert.Equal("fp32", model["precision"]!.GetValue<string>());
        Assert.Equal(1, model["threads"]!.GetValue<int>());   // the test services pin one thread
    }

    [Fact]
    public async Task The_threads_option_reaches_libtorch_on_the_search_thread()
    {
        // Read back from libtorch by the worker thread itself when it opened the model: the test services pin one
        // thread, and without the option the service starts with every available core.
        Assert.Equal(1, JsonNode.Parse(await Service.Client.GetStringAsync("/v1/model"))!["threads"]!.GetValue<int>());
        await using var unpinned = await TestService.StartAsync(new Seq2Seq.Serving.ServeRequest(new DirectoryInfo(fixture.Model), "", "cpu"));
        Assert.Equal(Seq2Seq.Runtime.ThreadGovernor.AvailableCores, JsonNode.Parse(await unpinned.Client.GetStringAsync("/v1/model"))!["threads"]!.GetValue<int>());
    }

    [Fact]
    public async Task Health_and_readiness_answer_ok_once_loaded()
    {
        Assert.Equal("ok\n", await Service.Client.GetStringAsync("/healthz"));
        Assert.Equal("ready\n", await Service.Client.GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task Every_answer_fits_the_response_types_the_api_document_describes()
    {
        var strict = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        async Task<T> Answer<T>(Task<HttpResponseMessage> request)
        {
            using var response = await request;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonSerializer.Deserialize<T>(await response.Content.ReadAsStringAsync(), strict)!;
        }
        string texts = ServiceFixture.Texts(fixture.Sentences.Take(4));
        var plain = await Answer<Seq2Seq.Serving.TranslateResponse>(Service.PostAsync("/v1/translate", $$"""{ "texts": {{texts}} }"""));
        Assert.Equal(4, plain.Translations.Count);
        var rich = await Answer<Seq2Seq.Serving.TranslateResponse>(Service.PostAsync("/v1/translate", $$"""{ "texts": {{texts}}, {{ServiceFixture.RichOptions}} }"""));
        Assert.All(rich.Translations, t => Assert.True(t.NBest is { Count: 3 } && t.Attention is not null && t.Coverage is not null && t.Alignment is not null));
        string pairs = JsonSerializer.Serialize(fixture.Sentences.Take(3).Select(s => new { source = s, target = "ein Haus" }));
        var scores = await Answer<Seq2Seq.Serving.ScoreResponse>(Service.PostAsync("/v1/score", $$"""{ "pairs": {{pairs}} }"""));
        Assert.All(scores.Scores, s => Assert.Equal(s.Tokens.Count, s.TokenLogProbs.Count));
        var model = await Answer<Seq2Seq.Serving.ModelResponse>(Service.Client.GetAsync("/v1/model"));
        Assert.True(model.Parameters > 0);
    }

    [Fact]
    public async Task OpenApi_describes_every_endpoint()
    {
        var document = JsonNode.Parse(await Service.Client.GetStringAsync("/openapi/v1.json"))!;
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>());
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        // The health endpoints are ASP.NET Core health checks, outside the API (tested in Health_endpoints_...).
        foreach (string path in new[] { "/v1/translate", "/v1/score", "/v1/model", "/v1/explore", "/" })
            Assert.Contains(path, paths);
        var translate = document["paths"]!["/v1/translate"]!["post"]!;
        Assert.NotNull(translate["requestBody"]);
        Assert.Contains("texts", document.ToJsonString());
        foreach (var (path, method, schema) in new[] { ("/v1/translate", "post", "TranslateResponse"), ("/v1/score", "post", "ScoreResponse"), ("/v1/model", "get", "ModelResponse") })
        {
            var ok = document["paths"]![path]![method]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
            Assert.Equal($"#/components/schemas/{schema}", ok["$ref"]!.GetValue<string>());
            Assert.NotNull(document["components"]!["schemas"]![schema]);
        }
        var entry = document["components"]!["schemas"]!["TranslationEntry"]!["properties"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("n_best", entry);
        Assert.Contains("token_log_probs", entry);
        Assert.Equal("#/components/schemas/TranslationEntry",
            document["components"]!["schemas"]!["TranslateResponse"]!["properties"]!["translations"]!["items"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task Explorer_page_is_self_contained()
    {
        using var response = await Service.Client.GetAsync("/");
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<textarea id=\"source\"", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script src", html);
        Assert.DoesNotContain("<link", html);
    }

    [Fact]
    public async Task Explore_adds_heatmaps_drawn_by_the_heatmap_code()
    {
        using var response = await Service.PostAsync("/v1/explore", $$"""{ "texts": [{{JsonSerializer.Serialize(fixture.Sentences[0])}}, ""], "beam": 4, "n_best": 3 }""");
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string heatmap = answer["heatmaps"]![0]!.GetValue<string>();
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(heatmap, "<section class=\"sentence\"").Count);
        Assert.Contains("id=\"view-words\"", heatmap);
        Assert.Null(answer["heatmaps"]![1]);
        var hypotheses = answer["translations"]![0]!["n_best"]!.AsArray();
        Assert.Equal(3, hypotheses.Count);
        // The selector lists the hypotheses by their text, best first.
        Assert.Contains(System.Net.WebUtility.HtmlEncode(hypotheses[0]!["translation"]!.GetValue<string>()), heatmap);
    }

    [Fact]
    public async Task Metrics_are_in_prometheus_text_format()
    {
        await Service.TranslateAsync("""{ "texts": ["a test"] }""");
        using var response = await Service.Client.GetAsync("/metrics");
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        foreach (string name in new[] { "seq2seq_step_rows_bucket", "seq2seq_step_texts_sum", "seq2seq_step_seconds_count", "seq2seq_queue_length", "seq2seq_texts_total",
                     "http_request_duration_seconds_bucket", "http_requests_received_total" })
            Assert.Contains(name, text);
        Assert.Contains("# TYPE seq2seq_step_rows histogram", text);
    }

    [Fact]
    public async Task Every_step_records_the_threads_it_ran_with()
    {
        await Service.TranslateAsync("""{ "texts": ["a test", "another test"] }""");
        string text = await Service.Client.GetStringAsync("/metrics");
        double Value(string name) => double.Parse(System.Text.RegularExpressions.Regex.Match(text, $"^{name} (\\S+)$",
            System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        double steps = Value("seq2seq_step_seconds_count");
        Assert.True(steps > 0);
        Assert.Equal(steps, Value("seq2seq_step_threads_count"));
        Assert.Equal(steps, Value("seq2seq_step_threads_sum"));   // the test service is pinned to one thread
    }
}

/// <summary>Interactive translation over HTTP: the words a person typed, as <c>translate --prefix-file</c> does them.</summary>
[Collection(ServiceCollection.Name)]
public class ServePrefixTests(ServiceFixture fixture)
{
    [Fact]
    public async Task Prefixes_give_exactly_what_translate_with_a_prefix_file_writes()
    {
        var texts = fixture.Sentences.Take(4).ToList();
        string[] prefixes = ["Die Katze", "", "Wir", "Das alte"];
        string input = fixture.Trained.Directory.WriteLines("serve-prefix-in.txt", texts);
        string prefixFile = fixture.Trained.Directory.WriteLines("serve-prefixes.txt", prefixes);
        string output = fixture.Trained.Directory.File("serve-prefix-out.jsonl");
        var cli = Support.CliProcess.Run("translate", "--model", fixture.Model, "--input", input, "--output", output, "--format", "jsonl", "--beam", "5", "--prefix-file", prefixFile, "--threads", "1");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        var answer = await fixture.Service.TranslateAsync($$"""{ "texts": {{ServiceFixture.Texts(texts)}}, "prefixes": {{ServiceFixture.Texts(prefixes)}} }""");
        Assert.Equal(File.ReadAllLines(output), answer);
        Assert.StartsWith("Die Katze", JsonNode.Parse(answer[0])!["translation"]!.GetValue<string>());
        Assert.Equal(fixture.Plain[1], answer[1]);
    }

    [Fact]
    public async Task Alternatives_give_exactly_what_translate_writes()
    {
        var texts = fixture.Sentences.Take(3).ToList();
        string[] prefixes = ["Die Ka", "", "Wir "];
        string input = fixture.Trained.Directory.WriteLines("serve-alternatives-in.txt", texts);
        string prefixFile = fixture.Trained.Directory.WriteLines("serve-alternatives-prefixes.txt", prefixes);
        string output = fixture.Trained.Directory.File("serve-alternatives-out.jsonl");
        var cli = Support.CliProcess.Run("translate", "--model", fixture.Model, "--input", input, "--output", output, "--format", "jsonl", "--beam", "5",
            "--prefix-file", prefixFile, "--alternatives", "4", "--threads", "1");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        var answer = await fixture.Service.TranslateAsync($$"""{ "texts": {{ServiceFixture.Texts(texts)}}, "prefixes": {{ServiceFixture.Texts(prefixes)}}, "alternatives": 4 }""");
        Assert.Equal(File.ReadAllLines(output), answer);
        Assert.NotEmpty(JsonNode.Parse(answer[1])!["alternatives"]!.AsArray());
    }

    [Theory]
    [InlineData("""{ "texts": ["a b"], "alternatives": 51 }""", "alternatives")]
    [InlineData("""{ "texts": ["a b"], "alternatives": -1 }""", "alternatives")]
    [InlineData("""{ "texts": ["a b", " "], "prefixes": ["", "Die"] }""", "prefixes[1]")]
    [InlineData("""{ "texts": ["a b"], "prefixes": ["Die 中"] }""", "prefixes[0]")]
    public async Task Alternatives_out_of_range_and_prefixes_the_model_cannot_use_are_problems_naming_the_field(string body, string field)
    {
        using var response = await fixture.Service.PostAsync("/v1/translate", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(field, problem["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Prefixes_that_do_not_match_the_texts_are_a_problem_naming_the_field()
    {
        using var response = await fixture.Service.PostAsync("/v1/translate", """{ "texts": ["a", "b"], "prefixes": ["x"] }""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("prefixes", problem["field"]!.GetValue<string>());
    }
}
