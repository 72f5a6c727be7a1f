using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Seq2Seq.Benchmarks;

/// <summary>
/// <c>--log</c>: the thread governor's samples and decisions on stderr, each with the seconds since the benchmark
/// started, to line them up with a co-runner's phases.
/// </summary>
internal sealed class StderrLogger : ILogger
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Console.Error.WriteLine($"[{_clock.Elapsed.TotalSeconds,7:F1} s] {formatter(state, exception)}");
}
