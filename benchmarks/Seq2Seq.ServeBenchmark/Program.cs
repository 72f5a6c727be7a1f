using System.Globalization;
using System.IO.Compression;
using Seq2Seq.ServeBenchmark;

// Load and abuse benchmark of `seq2seq serve` (not a test): starts the service as a child process on 127.0.0.1,
// sends bounded traffic, prints a Markdown table and one summary line per measure.
//   dotnet run --project benchmarks/Seq2Seq.ServeBenchmark -c Release -- --model RUN --sentences FILE[.gz]
//     [--beam 5] [--max-sentences 256] [--cell-seconds 60] [--abuse-requests 3000] [--mode load|abuse|all]
//     [--server PATH/seq2seq.dll] [--server-threads N] [--serve Key=value ...]
// --server runs another build of the service (e.g. an older one, for figures side by side); --serve passes
// --Serve:Key=value settings to it.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Seq2Seq.Runtime.AllocatorTuning.Apply();
string Arg(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
string model = Arg("--model", "");
string sentencesPath = Arg("--sentences", "");
if (model == "" || sentencesPath == "")
{
    Console.Error.WriteLine("usage: --model RUN --sentences FILE[.gz] [--beam 5] [--max-sentences 256] [--cell-seconds 60] [--abuse-requests 3000] [--mode load|abuse|all] [--cells 1x16,16x4,mixed] [--server DLL] [--server-threads N] [--serve Key=value ...]");
    return 2;
}
int beam = int.Parse(Arg("--beam", "5"), CultureInfo.InvariantCulture);
int maxSentences = int.Parse(Arg("--max-sentences", "256"), CultureInfo.InvariantCulture);
var cellLimit = TimeSpan.FromSeconds(double.Parse(Arg("--cell-seconds", "60"), CultureInfo.InvariantCulture));
int abuseRequests = int.Parse(Arg("--abuse-requests", "3000"), CultureInfo.InvariantCulture);
string mode = Arg("--mode", "all");
// Load cells to run, as TEXTSxCLIENTS and "mixed" (default: all), for quick A/B runs of one setting.
var cells = Arg("--cells", "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
bool Runs(string cell) => cells.Count == 0 || cells.Contains(cell);
int[] textsPerRequest = [1, 16], clientCounts = [1, 4, 16, 64];
string[] knownCells = [.. textsPerRequest.SelectMany(t => clientCounts.Select(c => $"{t}x{c}")), "mixed"];
if (cells.Except(knownCells).ToList() is [_, ..] unknown)
{
    Console.Error.WriteLine($"--cells: no cell {string.Join(", ", unknown)}; the cells are {string.Join(", ", knownCells)}");
    return 2;
}
string serverDll = Arg("--server", Path.Combine(AppContext.BaseDirectory, "seq2seq.dll"));
var serveSettings = args.Select((a, i) => (a, i)).Where(p => p.a == "--serve" && p.i + 1 < args.Length).Select(p => $"--Serve:{args[p.i + 1]}");
// The service's CPU threads fixed (--threads N), for A/Bs that the adaptive count, which the clients' load moves, would blur.
string[] serverThreads = Arg("--server-threads", "") is { Length: > 0 } n ? ["--threads", n] : [];
const int MaxBodyBytes = 65536;

using var reader = sentencesPath.EndsWith(".gz", StringComparison.Ordinal)
    ? new StreamReader(new GZipStream(File.OpenRead(sentencesPath), CompressionMode.Decompress))
    : new StreamReader(sentencesPath);
var sentences = new List<string>();
while (sentences.Count < maxSentences && reader.ReadLine() is { } line)
    if (line.Trim().Length > 0) sentences.Add(line.Trim());

var load = new LoadRun(sentences, beam, cellLimit, Console.Out);
var baseline = load.Baseline(model);

using var server = ServerProcess.Start(serverDll, model, [$"--Serve:MaxBodyBytes={MaxBodyBytes}", "--Serve:MaxQueuedRequests=1024", .. serveSettings, .. serverThreads]);
using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
if (mode is "load" or "all")
{
    await load.RunAsync(client, 4, 1); // warm-up
    Console.WriteLine($"| texts/request | clients | sentences | sentences/s | × translate | × batch 16 | p50 ms | p99 ms | wrong | failed | texts/step | rows/step | ms/step | threads/step |");
    Console.WriteLine($"| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    double allShortP50 = double.NaN;
    string Row(LoadRun.Cell cell, string steps) =>
        $"| {cell.PerRequest} | {cell.Clients} | {cell.Sentences} | {cell.SentencesPerSecond:F1} | {cell.SentencesPerSecond / baseline.SentencesPerSecond:F2} | "
        + $"{cell.SentencesPerSecond / baseline.Batch16SentencesPerSecond:F2} | {cell.P50:F1} | {cell.P99:F1} | {cell.Wrong} | {cell.Failed} | {steps} |";
    foreach (int perRequest in textsPerRequest)
    {
        foreach (int clients in clientCounts.Where(c => Runs($"{perRequest}x{c}")))
        {
            var before = await StepFigures.ReadAsync(client);
            var cell = await load.RunAsync(client, clients, perRequest);
            Console.WriteLine(Row(cell, StepFigures.Between(before, await StepFigures.ReadAsync(client))));
            if (perRequest == 1 && clients == 1)
                Console.WriteLine($"<!-- one client: p99 {cell.P99:F1} ms against in-process single-sentence p99 {baseline.SingleP99:F1} ms (p50 {baseline.SingleP50:F1}): ratio {cell.P99 / baseline.SingleP99:F2} -->");
            if (perRequest == 1 && clients == 16) allShortP50 = cell.P50;
        }
    }
    if (Runs("mixed"))
    {
        var before = await StepFigures.ReadAsync(client);
        var (shortCell, longCell) = await load.RunMixedAsync(client, 16, 4);
        string steps = StepFigures.Between(before, await StepFigures.ReadAsync(client));
        Console.WriteLine($"<!-- mixed load, 16 clients, 4 sending texts of >= {LoadRun.LongTextWords} words: short requests below, then the long ones -->");
        Console.WriteLine(Row(shortCell, steps));
        Console.WriteLine(Row(longCell, steps));
        Console.WriteLine($"<!-- mixed load: short requests' p50 {shortCell.P50:F1} ms against {allShortP50:F1} ms with 16 short clients: ratio {shortCell.P50 / allShortP50:F2} -->");
    }
}
if (mode is "abuse" or "all")
    await new AbuseRun(server, sentences, load.Expected, beam, MaxBodyBytes, Console.Out).RunAsync(client, abuseRequests, 16, seed: 1);
int exit = server.Stop();
Console.WriteLine($"server_exit_code {exit}");
return 0;
