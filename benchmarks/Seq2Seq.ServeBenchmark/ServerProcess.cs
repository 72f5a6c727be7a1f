using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Seq2Seq.ServeBenchmark;

/// <summary><c>seq2seq serve</c> as a child process on 127.0.0.1 and a free port; its memory is read from /proc.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public bool HasExited => _process.HasExited;

    public IEnumerable<string> Log => _log;

    /// <summary>Starts the service (<paramref name="program"/>, a seq2seq.dll) and waits until its model is loaded.</summary>
    public static ServerProcess Start(string program, string model, params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { "exec", program, "serve", "--model", model,
                     "--urls", "http://127.0.0.1:0", "--device", "cpu" }.Concat(settings))
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var log = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        Uri? address = null;
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            foreach (string line in log)
            {
                if (Regex.Match(line, "listening on (http://\\S+)") is { Success: true } m) address = new Uri(m.Groups[1].Value);
                if (address is not null && line.Contains("ready", StringComparison.Ordinal))
                {
                    var server = new ServerProcess(process, address);
                    foreach (string l in log) server._log.Enqueue(l);
                    process.ErrorDataReceived += (_, e) => { if (e.Data is not null) server._log.Enqueue(e.Data); };
                    return server;
                }
            }
            if (process.HasExited) throw new InvalidOperationException("seq2seq serve exited:\n" + string.Join('\n', log));
            Thread.Sleep(50);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("seq2seq serve did not become ready:\n" + string.Join('\n', log));
    }

    /// <summary>Resident memory of the service in MiB.</summary>
    public double ResidentMegabytes()
    {
        foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return double.NaN;
    }

    /// <summary>Sends SIGTERM and returns the exit code (the service drains and exits 0).</summary>
    public int Stop()
    {
        Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(60))) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
