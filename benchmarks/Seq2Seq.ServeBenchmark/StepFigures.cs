using System.Globalization;
using System.Text.RegularExpressions;

namespace Seq2Seq.ServeBenchmark;

/// <summary>
/// The running batch's step metrics (<c>seq2seq_step_*</c> in <c>/metrics</c>) over one cell: mean texts and rows
/// per step and mean time per step. Null when the service has no such metrics (a build from before continuous batching).
/// </summary>
public sealed record StepFigures(double Steps, double Texts, double Rows, double Seconds)
{
    public static async Task<StepFigures?> ReadAsync(HttpClient client)
    {
        string metrics = await client.GetStringAsync("/metrics");
        double? Value(string name) => Regex.Match(metrics, $"^{name} (\\S+)$", RegexOptions.Multiline) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        return Value("seq2seq_step_seconds_count") is { } steps
            ? new StepFigures(steps, Value("seq2seq_step_texts_sum") ?? 0, Value("seq2seq_step_rows_sum") ?? 0, Value("seq2seq_step_seconds_sum") ?? 0)
            : null;
    }

    /// <summary>"texts/step rows/step ms/step" between two readings, or "n/a".</summary>
    public static string Between(StepFigures? before, StepFigures? after)
    {
        if (before is null || after is null || after.Steps <= before.Steps) return "n/a | n/a | n/a";
        double steps = after.Steps - before.Steps;
        return string.Create(CultureInfo.InvariantCulture,
            $"{(after.Texts - before.Texts) / steps:F1} | {(after.Rows - before.Rows) / steps:F0} | {1000 * (after.Seconds - before.Seconds) / steps:F2}");
    }
}
