using System.Globalization;
using System.IO.Compression;
using Seq2Seq.ServeBenchmark;

// Load and abuse benchmark of `seq2seq serve` (not a test): starts the service as a child process on 127.0.0.1,
// sends bounded traffic, prints a Markdown table and one summary line per measure.
//   dotnet run --project benchmarks/Seq2Seq.ServeBenchmark -c Release -- --model RUN --sentences FILE[.gz]
//     [--beam 5] [--max-sentences 256] [--cell-seconds 60] [--abuse-requests 3000] [--mode load|abuse|all]
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
    Console.Error.WriteLine("usage: --model RUN --sentences FILE[.gz] [--beam 5] [--max-sentences 256] [--cell-seconds 60] [--abuse-requests 3000] [--mode load|abuse|all]");
    return 2;
}
int beam = int.Parse(Arg("--beam", "5"), CultureInfo.InvariantCulture);
int maxSentences = int.Parse(Arg("--max-sentences", "256"), CultureInfo.InvariantCulture);
var cellLimit = TimeSpan.FromSeconds(double.Parse(Arg("--cell-seconds", "60"), CultureInfo.InvariantCulture));
int abuseRequests = int.Parse(Arg("--abuse-requests", "3000"), CultureInfo.InvariantCulture);
string mode = Arg("--mode", "all");
const int MaxBodyBytes = 65536;

using var reader = sentencesPath.EndsWith(".gz", StringComparison.Ordinal)
    ? new StreamReader(new GZipStream(File.OpenRead(sentencesPath), CompressionMode.Decompress))
    : new StreamReader(sentencesPath);
var sentences = new List<string>();
while (sentences.Count < maxSentences && reader.ReadLine() is { } line)
    if (line.Trim().Length > 0) sentences.Add(line.Trim());

var load = new LoadRun(sentences, beam, cellLimit, Console.Out);
var (translateRate, singleP50, singleP99) = load.Baseline(model);

using var server = ServerProcess.Start(model, $"--Serve:MaxBodyBytes={MaxBodyBytes}", "--Serve:MaxQueuedRequests=1024");
using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
if (mode is "load" or "all")
{
    await load.RunAsync(client, 4, 1); // warm-up
    Console.WriteLine($"| texts/request | clients | sentences | sentences/s | × translate | p50 ms | p99 ms | wrong | failed |");
    Console.WriteLine($"| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    foreach (int perRequest in new[] { 1, 16 })
    {
        foreach (int clients in new[] { 1, 4, 16, 64 })
        {
            var cell = await load.RunAsync(client, clients, perRequest);
            Console.WriteLine($"| {perRequest} | {clients} | {cell.Sentences} | {cell.SentencesPerSecond:F1} | {cell.SentencesPerSecond / translateRate:F2} | {cell.P50:F1} | {cell.P99:F1} | {cell.Wrong} | {cell.Failed} |");
            if (perRequest == 1 && clients == 1)
                Console.WriteLine($"<!-- one client: p99 {cell.P99:F1} ms against in-process single-sentence p99 {singleP99:F1} ms (p50 {singleP50:F1}): ratio {cell.P99 / singleP99:F2} -->");
        }
    }
}
if (mode is "abuse" or "all")
    await new AbuseRun(server, sentences, load.Expected, beam, MaxBodyBytes, Console.Out).RunAsync(client, abuseRequests, 16, seed: 1);
int exit = server.Stop();
Console.WriteLine($"server_exit_code {exit}");
return 0;
