using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seq2Seq.ServeBenchmark;

/// <summary>
/// Thousands of malformed requests of every class (bad JSON, wrong types, unknown fields, empty bodies, invalid
/// UTF-8, oversized and truncated bodies, out-of-range options, random bytes, slow senders) mixed with good ones,
/// from concurrent clients. Counts the answers by class and status, checks every good answer's translation, and
/// samples the service's resident memory. Bounded in requests; all traffic goes to 127.0.0.1.
/// </summary>
public sealed class AbuseRun(ServerProcess server, IReadOnlyList<string> sentences, string[] expected, int beam, int maxBodyBytes, TextWriter output)
{
    /// <summary>How the service writes JSON: non-ASCII text unescaped (as the library's JSON lines are).</summary>
    private static readonly JsonSerializerOptions ServiceJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ConcurrentDictionary<(string Class, string Status), int> _counts = new();
    private int _wrongGood, _serverErrors;

    private static readonly string[] BadBodies =
    [
        """{ "texts": ["a" """, """{ "texts": ["a"] } x""", """["a"]""", """{ "beam": 5 }""", """{ "texts": null }""", """{ "texts": "a" }""",
        """{ "texts": ["a", 3] }""", """{ "texts": ["a"], "beam": "five" }""", """{ "texts": ["a"], "beam": 2.5 }""", """{ "texts": ["a"], "beam": 1e999 }""",
        """{ "texts": ["a"], "beams": 5 }""", """{ "texts": ["a"], "texts": ["b"] }""", """{ "texts": [] }""", """{ "texts": ["a"], "beam": 0 }""",
        """{ "texts": ["a"], "beam": 100000 }""", """{ "texts": ["a"], "beam": 2, "n_best": 3 }""", """{ "texts": ["a"], "length_penalty": -1 }""",
        """{ "texts": ["a\u0000b"] }""", """{ "texts": ["a\ud800b"] }""", "{", "", "null", "\"text\"", "{\"texts\":[" + new string('[', 5000),
    ];

    /// <summary>Sends <paramref name="requests"/> requests from <paramref name="clients"/> concurrent clients.</summary>
    public async Task RunAsync(HttpClient client, int requests, int clients, int seed)
    {
        var memory = new List<(int Done, double Megabytes)> { (0, server.ResidentMegabytes()) };
        int next = -1, done = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async w =>
        {
            var random = new Random(seed * 1000 + w);
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                await OneAsync(client, random, i);
                int finished = Interlocked.Increment(ref done);
                if (finished % Math.Max(1, requests / 10) == 0)
                    lock (memory) memory.Add((finished, server.ResidentMegabytes()));
            }
        }));
        memory.Add((requests, server.ResidentMegabytes()));
        foreach (var ((kind, status), count) in _counts.OrderBy(c => c.Key.Class).ThenBy(c => c.Key.Status))
            output.WriteLine($"abuse {kind} {status} {count}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"abuse_summary requests={requests} server_alive={!server.HasExited} server_errors_5xx={_serverErrors} wrong_good_answers={_wrongGood} "
            + $"rss_mb={string.Join(',', memory.OrderBy(m => m.Done).Select(m => $"{m.Done}:{m.Megabytes:F0}"))}"));
    }

    private async Task OneAsync(HttpClient client, Random random, int index)
    {
        int pick = random.Next(100);
        try
        {
            if (pick < 25) await Good(client, index % sentences.Count);
            else if (pick < 55) await Post(client, "bad-json", BadBodies[random.Next(BadBodies.Length)], "application/json");
            else if (pick < 60) await PostBytes(client, "invalid-utf8", [.. "{\"texts\":[\"a"u8, 0xC3, 0x28, .. "\"]}"u8], "application/json");
            else if (pick < 65) await PostBytes(client, "random-body", RandomBytes(random, random.Next(1, 2000)), "application/json");
            else if (pick < 68) await Post(client, "oversized", $$"""{ "texts": ["{{new string('a', maxBodyBytes)}}"] }""", "application/json");
            else if (pick < 72) await Post(client, "too-many-texts", JsonSerializer.Serialize(new { texts = Enumerable.Repeat("a", 1000) }), "application/json");
            else if (pick < 76) await Post(client, "too-long-text", JsonSerializer.Serialize(new { texts = new[] { new string('a', 5000) } }), "application/json");
            else if (pick < 80) await Post(client, "wrong-content-type", "texts=a", "application/x-www-form-urlencoded");
            else if (pick < 84) await Raw("raw-garbage", RandomBytes(random, random.Next(1, 500)), close: true);
            else if (pick < 90) await Truncated(random);
            else if (pick < 95) await SlowGood(index % sentences.Count, random);
            else await Post(client, "wrong-path", "{}", "application/json", "/v1/nothing");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException or TaskCanceledException)
        {
            Count(pick < 25 ? "good" : "bad", "connection-error:" + e.GetType().Name);
            if (pick < 25) Interlocked.Increment(ref _wrongGood);
        }
    }

    private async Task Good(HttpClient client, int i)
    {
        using var response = await client.PostAsync("/v1/translate", Json(JsonSerializer.Serialize(new { texts = new[] { sentences[i] }, beam })));
        string text = await response.Content.ReadAsStringAsync();
        Count("good", ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
        if (!response.IsSuccessStatusCode || JsonNode.Parse(text)!["translations"]![0]!["translation"]!.GetValue<string>() != expected[i])
            Interlocked.Increment(ref _wrongGood);
    }

    private async Task Post(HttpClient client, string kind, string body, string contentType, string path = "/v1/translate") =>
        await PostBytes(client, kind, Encoding.UTF8.GetBytes(body), contentType, path);

    private async Task PostBytes(HttpClient client, string kind, byte[] body, string contentType, string path = "/v1/translate")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new(contentType);
        using var response = await client.PostAsync(path, content);
        int status = (int)response.StatusCode;
        Count(kind, status.ToString(CultureInfo.InvariantCulture));
        if (status >= 500) Interlocked.Increment(ref _serverErrors);
    }

    /// <summary>Headers promise more body than is sent, then the connection closes.</summary>
    private async Task Truncated(Random random)
    {
        byte[] body = Encoding.UTF8.GetBytes("""{ "texts": ["a truncated request body that never ends"] }""");
        int sent = random.Next(0, body.Length);
        await Raw("truncated", [.. Head(body.Length + 10), .. body.AsSpan(0, sent)], close: true);
    }

    /// <summary>A good request sent in small pieces over about a second; it must still get the right answer.</summary>
    private async Task SlowGood(int i, Random random)
    {
        byte[] body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { texts = new[] { sentences[i] }, beam }));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Address.Host, server.Address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Head(body.Length));
        for (int at = 0; at < body.Length; at += 16)
        {
            await stream.WriteAsync(body.AsMemory(at, Math.Min(16, body.Length - at)));
            await stream.FlushAsync();
            await Task.Delay(random.Next(10, 60));
        }
        using var reader = new StreamReader(stream);
        string answer = await reader.ReadToEndAsync();
        string status = answer.Length > 12 ? answer[9..12] : "none";
        Count("slow-good", status);
        if (status != "200" || !answer.Contains(JsonSerializer.Serialize(expected[i], ServiceJson), StringComparison.Ordinal))
            Interlocked.Increment(ref _wrongGood);
    }

    private async Task Raw(string kind, byte[] bytes, bool close)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Address.Host, server.Address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(bytes);
        if (close) tcp.Client.Shutdown(SocketShutdown.Send);
        var buffer = new byte[64];
        string status;
        try
        {
            int read = await stream.ReadAtLeastAsync(buffer, 12, throwOnEndOfStream: false).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            status = read >= 12 ? Encoding.ASCII.GetString(buffer, 9, 3) : "closed";
        }
        catch (IOException)
        {
            status = "reset"; // the server answered and closed before reading all the garbage
        }
        Count(kind, status);
        if (status.StartsWith('5')) Interlocked.Increment(ref _serverErrors);
    }

    private byte[] Head(int contentLength) => Encoding.ASCII.GetBytes(
        $"POST /v1/translate HTTP/1.1\r\nHost: {server.Address.Authority}\r\nContent-Type: application/json\r\nContent-Length: {contentLength}\r\nConnection: close\r\n\r\n");

    private static ByteArrayContent Json(string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new("application/json");
        return content;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private void Count(string kind, string status) => _counts.AddOrUpdate((kind, status), 1, (_, n) => n + 1);
}
