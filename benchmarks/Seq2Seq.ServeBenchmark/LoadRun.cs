using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Seq2Seq.Inference;

namespace Seq2Seq.ServeBenchmark;

/// <summary>
/// Throughput and latency of the service under concurrent clients sending one or 16 sentences per request, and a
/// mixed load where some clients send long texts, against <c>translate</c>'s own throughput (the same Translator, in
/// this process) and the in-process time of a single-sentence search. Every answer is checked against the
/// in-process translation. Bounded: each cell sends every sentence once, and stops early after a time limit.
/// </summary>
public sealed class LoadRun(IReadOnlyList<string> sentences, int beam, TimeSpan cellLimit, TextWriter output)
{
    /// <summary>Words in each text of the mixed load's long-text clients.</summary>
    public const int LongTextWords = 40;

    /// <summary>Consecutive sentences joined until each text has at least <see cref="LongTextWords"/> words.</summary>
    private readonly string[] _long = [.. LongTexts(sentences)];

    /// <summary>The best translation of each sentence, from <see cref="Baseline"/>.</summary>
    public string[] Expected { get; private set; } = [];

    private string[] _longExpected = [];

    /// <summary>
    /// Measures translate's throughput (batch 32, its default, and batch 16) and single-sentence latency in process;
    /// fills <see cref="Expected"/> and the long texts' translations.
    /// </summary>
    public BaselineFigures Baseline(string model)
    {
        using var loaded = TranslationModel.Open(model, new TranslationModelOptions { Device = "cpu" });
        var options = new SearchOptions { BeamSize = beam };
        loaded.Translate([.. sentences.Take(32)], options, 32);
        var clock = Stopwatch.StartNew();
        var all = loaded.Translate(sentences, options, 32);
        double rate = sentences.Count / clock.Elapsed.TotalSeconds;
        clock.Restart();
        loaded.Translate(sentences, options, 16);
        double rate16 = sentences.Count / clock.Elapsed.TotalSeconds;
        Expected = [.. all.Select(t => t.Best)];
        _longExpected = [.. loaded.Translate(_long, options, 32).Select(t => t.Best)];
        var singles = new List<double>();
        foreach (string sentence in sentences.Take(64))
        {
            clock.Restart();
            loaded.Translate([sentence], options, 32);
            singles.Add(clock.Elapsed.TotalMilliseconds);
        }
        var figures = new BaselineFigures(rate, rate16, Latencies.Percentile(singles, 0.5), Latencies.Percentile(singles, 0.99));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"translate_in_process sentences_per_s={rate:F1} batch16_sentences_per_s={rate16:F1} single_sentence_ms p50={figures.SingleP50:F1} p99={figures.SingleP99:F1} long_texts={_long.Length}"));
        return figures;
    }

    /// <summary>One cell: <paramref name="clients"/> concurrent clients, <paramref name="perRequest"/> sentences per request.</summary>
    public async Task<Cell> RunAsync(HttpClient client, int clients, int perRequest)
    {
        var chunks = Enumerable.Range(0, (sentences.Count + perRequest - 1) / perRequest)
            .Select(c => Enumerable.Range(c * perRequest, Math.Min(perRequest, sentences.Count - c * perRequest)).ToArray()).ToArray();
        int next = -1;
        var tally = new Tally(clients);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async w =>
        {
            int c;
            while ((c = Interlocked.Increment(ref next)) < chunks.Length && clock.Elapsed < cellLimit)
                await SendAsync(client, [.. chunks[c].Select(i => sentences[i])], [.. chunks[c].Select(i => Expected[i])], tally, w);
        }));
        return tally.Cell(clients, perRequest, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The mixed load: <paramref name="longClients"/> of <paramref name="clients"/> send texts of at least
    /// <see cref="LongTextWords"/> words, one per request, while the others send every sentence once, one per
    /// request; returns the short requests' cell and the long requests' cell.
    /// </summary>
    public async Task<(Cell Short, Cell Long)> RunMixedAsync(HttpClient client, int clients, int longClients)
    {
        int next = -1, nextLong = -1, shortDone = 0;
        var shortTally = new Tally(clients - longClients);
        var longTally = new Tally(longClients);
        var clock = Stopwatch.StartNew();
        var shortClients = Enumerable.Range(0, clients - longClients).Select(async w =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < sentences.Count && clock.Elapsed < cellLimit)
                await SendAsync(client, [sentences[i]], [Expected[i]], shortTally, w);
            Interlocked.Increment(ref shortDone);
        }).ToList();
        var longOnes = Enumerable.Range(0, longClients).Select(async w =>
        {
            while (Volatile.Read(ref shortDone) < clients - longClients)
            {
                int i = Interlocked.Increment(ref nextLong) % _long.Length;
                await SendAsync(client, [_long[i]], [_longExpected[i]], longTally, w);
            }
        }).ToList();
        await Task.WhenAll(shortClients.Concat(longOnes));
        double seconds = clock.Elapsed.TotalSeconds;
        return (shortTally.Cell(clients - longClients, 1, seconds), longTally.Cell(longClients, 1, seconds));
    }

    private async Task SendAsync(HttpClient client, string[] texts, string[] expected, Tally tally, int worker)
    {
        var body = new JsonObject { ["texts"] = new JsonArray([.. texts.Select(t => (JsonNode)t)]), ["beam"] = beam };
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync("/v1/translate", JsonContent.Create(body));
        string text = await response.Content.ReadAsStringAsync();
        tally.Latencies[worker].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref tally.Failed); return; }
        var translations = JsonNode.Parse(text)!["translations"]!.AsArray();
        for (int j = 0; j < texts.Length; j++)
            if (translations[j]!["translation"]!.GetValue<string>() != expected[j]) Interlocked.Increment(ref tally.Wrong);
        Interlocked.Add(ref tally.Done, texts.Length);
    }

    private static IEnumerable<string> LongTexts(IReadOnlyList<string> sentences)
    {
        var words = new List<string>();
        foreach (string sentence in sentences)
        {
            words.AddRange(sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (words.Count < LongTextWords) continue;
            yield return string.Join(' ', words);
            words.Clear();
        }
    }

    /// <summary>Counts of one cell's clients (one latency list per client, so no locking).</summary>
    private sealed class Tally(int clients)
    {
        public readonly List<double>[] Latencies = [.. Enumerable.Range(0, clients).Select(_ => new List<double>())];
        public int Done, Wrong, Failed;

        public Cell Cell(int clients, int perRequest, double seconds)
        {
            var all = Latencies.SelectMany(l => l).ToList();
            return new Cell(clients, perRequest, Done, Done / seconds, ServeBenchmark.Latencies.Percentile(all, 0.5),
                ServeBenchmark.Latencies.Percentile(all, 0.99), Wrong, Failed);
        }
    }

    /// <summary>The result of one cell.</summary>
    public sealed record Cell(int Clients, int PerRequest, int Sentences, double SentencesPerSecond, double P50, double P99, int Wrong, int Failed);

    /// <summary>translate's throughput at batch 32 and 16, and single-sentence search latency, in process.</summary>
    public sealed record BaselineFigures(double SentencesPerSecond, double Batch16SentencesPerSecond, double SingleP50, double SingleP99);
}
