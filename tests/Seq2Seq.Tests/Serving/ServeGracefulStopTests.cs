using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Serving;

/// <summary>The real <c>seq2seq serve</c> process: SIGTERM stops it accepting, lets requests in flight finish, exits 0.</summary>
[Collection(ServiceCollection.Name)]
public class ServeGracefulStopTests(ServiceFixture fixture)
{
    [Fact]
    public async Task Sigterm_drains_requests_in_flight_and_exits_0()
    {
        using var process = CliProcess.Start(fixture.Trained.Directory.Path, "serve", "--model", fixture.Model,
            "--urls", "http://127.0.0.1:0", "--device", "cpu", "--Serve:ShutdownSeconds=60");
        var log = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            string address = (await WaitForLog(log, process, "listening on (http://\\S+)")).Groups[1].Value;
            await WaitForLog(log, process, "ready");
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(1) };

            // A request whose body is still arriving when SIGTERM comes (a raw socket, so nothing buffers the first bytes).
            var uri = new Uri(address);
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(uri.Host, uri.Port);
            var stream = tcp.GetStream();
            byte[] body = Encoding.UTF8.GetBytes($$"""{ "texts": {{ServiceFixture.Texts(fixture.Sentences.Take(3))}} }""");
            string head = $"POST /v1/translate HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(body.AsMemory(0, 10));
            await stream.FlushAsync();
            await WaitUntilInFlight(address);

            Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.False(process.HasExited, "the service exited with a request in flight:\n" + string.Join('\n', log));

            await stream.WriteAsync(body.AsMemory(10));
            var (status, answer) = await RawHttp.ReadResponseAsync(stream);
            Assert.True(status == 200, answer);
            Assert.Equal(fixture.Plain.Take(3), TestService.Entries(answer, "translations"));

            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "the service did not stop after SIGTERM");
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}:\n{string.Join('\n', log)}");
            await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/healthz"));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Waits until the service counts a translate request in progress (its body is being received).</summary>
    private static async Task WaitUntilInFlight(string address)
    {
        using var probe = new HttpClient { BaseAddress = new Uri(address) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            string metrics = await probe.GetStringAsync("/metrics");
            if (metrics.Contains("\nseq2seq_requests_in_flight 1", StringComparison.Ordinal)) return;
            Assert.True(DateTime.UtcNow < deadline, "the request never reached the service:\n" + metrics);
            await Task.Delay(20);
        }
    }

    private static async Task<Match> WaitForLog(ConcurrentQueue<string> log, Process process, string pattern)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            foreach (string line in log)
                if (Regex.Match(line, pattern) is { Success: true } match) return match;
            if (process.HasExited) Assert.Fail($"the service exited ({process.ExitCode}):\n{string.Join('\n', log)}");
            Assert.True(DateTime.UtcNow < deadline, $"no '{pattern}' in the log:\n{string.Join('\n', log)}");
            await Task.Delay(20);
        }
    }
}
