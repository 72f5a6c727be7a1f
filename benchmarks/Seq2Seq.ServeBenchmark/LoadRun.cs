using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Seq2Seq.Inference;

namespace Seq2Seq.ServeBenchmark;

/// <summary>
/// Throughput and latency of the service under 1, 4, 16 and 64 concurrent clients sending one or 16 sentences per
/// request, against <c>translate</c>'s own throughput (the same Translator, batch 32, in this process) and the
/// in-process time of a single-sentence search. Every answer is checked against the in-process translation.
/// Bounded: each cell sends every sentence once, and stops early after a time limit.
/// </summary>
public sealed class LoadRun(IReadOnlyList<string> sentences, int beam, TimeSpan cellLimit, TextWriter output)
{
    /// <summary>The best translation of each sentence, from <see cref="Baseline"/>.</summary>
    public string[] Expected { get; private set; } = [];

    /// <summary>Measures translate's throughput and single-sentence latency in process; fills <see cref="Expected"/>.</summary>
    public (double SentencesPerSecond, double SingleP50, double SingleP99) Baseline(string model)
    {
        using var loaded = TranslationModel.Open(model, new TranslationModelOptions { Device = "cpu" });
        var options = new SearchOptions { BeamSize = beam };
        loaded.Translate([.. sentences.Take(32)], options, 32);
        var clock = Stopwatch.StartNew();
        var all = loaded.Translate(sentences, options, 32);
        double rate = sentences.Count / clock.Elapsed.TotalSeconds;
        Expected = [.. all.Select(t => t.Best)];
        var singles = new List<double>();
        foreach (string sentence in sentences.Take(64))
        {
            clock.Restart();
            loaded.Translate([sentence], options, 32);
            singles.Add(clock.Elapsed.TotalMilliseconds);
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"translate_in_process sentences_per_s={rate:F1} single_sentence_ms p50={Latencies.Percentile(singles, 0.5):F1} p99={Latencies.Percentile(singles, 0.99):F1}"));
        return (rate, Latencies.Percentile(singles, 0.5), Latencies.Percentile(singles, 0.99));
    }

    /// <summary>One cell: <paramref name="clients"/> concurrent clients, <paramref name="perRequest"/> sentences per request.</summary>
    public async Task<Cell> RunAsync(HttpClient client, int clients, int perRequest)
    {
        var chunks = Enumerable.Range(0, (sentences.Count + perRequest - 1) / perRequest)
            .Select(c => Enumerable.Range(c * perRequest, Math.Min(perRequest, sentences.Count - c * perRequest)).ToArray()).ToArray();
        int next = -1, done = 0, wrong = 0, failed = 0;
        var latencies = new List<double>[clients];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async w =>
        {
            latencies[w] = [];
            int c;
            while ((c = Interlocked.Increment(ref next)) < chunks.Length && clock.Elapsed < cellLimit)
            {
                var body = new JsonObject { ["texts"] = new JsonArray([.. chunks[c].Select(i => (JsonNode)sentences[i])]), ["beam"] = beam };
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/v1/translate", JsonContent.Create(body));
                string text = await response.Content.ReadAsStringAsync();
                latencies[w].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref failed); continue; }
                var translations = JsonNode.Parse(text)!["translations"]!.AsArray();
                for (int j = 0; j < chunks[c].Length; j++)
                    if (translations[j]!["translation"]!.GetValue<string>() != Expected[chunks[c][j]]) Interlocked.Increment(ref wrong);
                Interlocked.Add(ref done, chunks[c].Length);
            }
        }));
        double seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).ToList();
        return new Cell(clients, perRequest, done, done / seconds, Latencies.Percentile(all, 0.5), Latencies.Percentile(all, 0.99), wrong, failed);
    }

    /// <summary>The result of one cell.</summary>
    public sealed record Cell(int Clients, int PerRequest, int Sentences, double SentencesPerSecond, double P50, double P99, int Wrong, int Failed);
}
