using System.Globalization;
using System.Text.RegularExpressions;

namespace Seq2Seq.ServeBenchmark;

/// <summary>
/// The running batch's step metrics (<c>seq2seq_step_*</c> in <c>/metrics</c>) over one cell: mean texts and rows
/// per step, mean time per step and the CPU threads the steps ran with (the service's adaptive count follows the
/// load, the benchmark's own clients included). Null when the service has no such metrics (a build from before
/// continuous batching); threads are NaN in a build from before they were recorded.
/// </summary>
public sealed record StepFigures(double Steps, double Texts, double Rows, double Seconds, double Threads)
{
    public static async Task<StepFigures?> ReadAsync(HttpClient client)
    {
        string metrics = await client.GetStringAsync("/metrics");
        double? Value(string name) => Regex.Match(metrics, $"^{name} (\\S+)$", RegexOptions.Multiline) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        return Value("seq2seq_step_seconds_count") is { } steps
            ? new StepFigures(steps, Value("seq2seq_step_texts_sum") ?? 0, Value("seq2seq_step_rows_sum") ?? 0, Value("seq2seq_step_seconds_sum") ?? 0,
                Value("seq2seq_step_threads_sum") ?? double.NaN)
            : null;
    }

    /// <summary>"texts/step | rows/step | ms/step | threads/step" between two readings, or "n/a".</summary>
    public static string Between(StepFigures? before, StepFigures? after)
    {
        if (before is null || after is null || after.Steps <= before.Steps) return "n/a | n/a | n/a | n/a";
        double steps = after.Steps - before.Steps;
        return string.Create(CultureInfo.InvariantCulture,
            $"{(after.Texts - before.Texts) / steps:F1} | {(after.Rows - before.Rows) / steps:F0} | {1000 * (after.Seconds - before.Seconds) / steps:F2} | {(after.Threads - before.Threads) / steps:F2}");
    }
}
