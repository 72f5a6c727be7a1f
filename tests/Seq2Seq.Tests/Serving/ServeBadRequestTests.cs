using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Seq2Seq.Tests.Serving;

/// <summary>Every class of bad request gets its 4xx and an RFC 9457 problem body naming the field and the limit.</summary>
[Collection(ServiceCollection.Name)]
public class ServeBadRequestTests(ServiceFixture fixture)
{
    public static TheoryData<string, string, int, string?, string> BadBodies => new()
    {
        // name, body, status, field, words the detail must contain
        { "malformed JSON", """{ "texts": ["a" """, 400, null, "not valid JSON" },
        { "trailing garbage", """{ "texts": ["a"] } x""", 400, null, "not valid JSON" },
        { "not an object", """["a", "b"]""", 400, null, "JSON object" },
        { "texts missing", """{ "beam": 5 }""", 400, "texts", "missing required field" },
        { "texts null", """{ "texts": null }""", 400, "texts", "null" },
        { "texts of the wrong type", """{ "texts": "a sentence" }""", 400, "texts", "wrong type" },
        { "a text of the wrong type", """{ "texts": ["a", 3] }""", 400, "texts[1]", "wrong type" },
        { "a null text", """{ "texts": ["a", null] }""", 400, "texts[1]", "null" },
        { "beam of the wrong type", """{ "texts": ["a"], "beam": "five" }""", 400, "beam", "wrong type" },
        { "fractional beam", """{ "texts": ["a"], "beam": 2.5 }""", 400, "beam", "wrong type" },
        { "huge number", """{ "texts": ["a"], "beam": 1e999 }""", 400, "beam", "wrong type" },
        { "unknown field", """{ "texts": ["a"], "beams": 5 }""", 400, "beams", "unknown field" },
        { "duplicate field", """{ "texts": ["a"], "texts": ["b"] }""", 400, null, "not valid JSON" },
        { "empty texts", """{ "texts": [] }""", 400, "texts", "at least one" },
        { "beam 0", """{ "texts": ["a"], "beam": 0 }""", 400, "beam", "between 1 and 20" },
        { "beam too large", """{ "texts": ["a"], "beam": 21 }""", 400, "beam", "Serve:MaxBeam" },
        { "n_best above beam", """{ "texts": ["a"], "beam": 2, "n_best": 3 }""", 400, "n_best", "between 1 and the beam" },
        { "negative length penalty", """{ "texts": ["a"], "length_penalty": -1 }""", 400, "length_penalty", "between 0 and 10" },
        { "NUL in a text", """{ "texts": ["a\u0000b"] }""", 400, "texts[0]", "NUL" },
        { "lone surrogate", """{ "texts": ["a\ud800b"] }""", 400, null, "" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_translate_requests_get_a_problem_naming_the_field(string name, string body, int status, string? field, string words)
    {
        using var response = await fixture.Service.PostAsync("/v1/translate", body);
        var problem = await Problem(response, status, name);
        if (field is not null) Assert.Equal(field, problem["field"]?.GetValue<string>());
        Assert.Contains(words, problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_empty_body_is_a_bad_request()
    {
        var problem = await Problem(await fixture.Service.PostBytesAsync("/v1/translate", []), 400, "empty");
        Assert.Contains("empty", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_utf8_is_a_bad_request()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes("{ \"texts\": [\"a"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"] }")];
        var problem = await Problem(await fixture.Service.PostBytesAsync("/v1/translate", body), 400, "invalid UTF-8");
        Assert.Contains("UTF-8", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415()
    {
        var problem = await Problem(await fixture.Service.PostBytesAsync("/v1/translate", Encoding.UTF8.GetBytes("texts=a"), "application/x-www-form-urlencoded"), 415, "form");
        Assert.Equal("Content-Type", problem["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_score_requests_name_the_pair()
    {
        var problem = await Problem(await fixture.Service.PostAsync("/v1/score", """{ "pairs": [{ "source": "a", "target": "b" }, { "source": "a" }] }"""), 400, "target missing");
        Assert.Contains("target", problem["detail"]!.GetValue<string>());
        problem = await Problem(await fixture.Service.PostAsync("/v1/score", """{ "pairs": [{ "source": "a", "target": "b", "extra": 1 }] }"""), 400, "unknown");
        Assert.Equal("pairs[0].extra", problem["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_paths_and_methods_get_problems_too()
    {
        await Problem(await fixture.Service.Client.GetAsync("/v1/nothing"), 404, "unknown path");
        await Problem(await fixture.Service.Client.GetAsync("/v1/translate"), 405, "GET on translate");
    }

    [Fact]
    public async Task A_bad_request_does_not_disturb_the_next_good_one()
    {
        await fixture.Service.PostBytesAsync("/v1/translate", [0xFF, 0xFE, 0x00]);
        var entries = await fixture.Service.TranslateAsync($$"""{ "texts": {{ServiceFixture.Texts(fixture.Sentences.Take(3))}} }""");
        Assert.Equal(fixture.Plain.Take(3), entries);
    }

    /// <summary>Checks the status and the problem-details shape, and returns the body.</summary>
    internal static async Task<JsonObject> Problem(HttpResponseMessage response, int status, string what)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{what}: expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()), text);
        Assert.NotNull(problem["type"]);
        if (status != 404 && status != 405) Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>()), text);
        response.Dispose();
        return problem;
    }
}
