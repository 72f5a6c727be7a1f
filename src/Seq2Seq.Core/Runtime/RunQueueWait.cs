using System.Globalization;

namespace Seq2Seq.Runtime;

/// <summary>
/// How long this process's busy threads were ready to run but waited for a core, from Linux's per-thread
/// scheduler statistics (<c>/proc/self/task/*/schedstat</c>: nanoseconds on a core, nanoseconds waiting on a
/// run queue, time slices). Alone on the machine libtorch's threads hardly wait; beside another session's work
/// they wait for much of every second, whatever that work's <c>nice</c>. Only threads that ran for at least a
/// tenth of the interval count: the runtime's mostly idle helper threads wake on busy cores and would blur it.
/// </summary>
internal static class RunQueueWait
{
    private const string TaskFolder = "/proc/self/task";

    /// <summary>Per-thread (on-core, waiting) nanoseconds now, or null where the kernel does not report them.</summary>
    public static Dictionary<int, (long Running, long Waiting)>? Read()
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists(TaskFolder)) return null;
        var threads = new Dictionary<int, (long, long)>();
        foreach (string task in Directory.EnumerateDirectories(TaskFolder))
        {
            if (!int.TryParse(Path.GetFileName(task), CultureInfo.InvariantCulture, out int id)) continue;
            try
            {
                if (Parse(File.ReadAllText(Path.Combine(task, "schedstat"))) is { } times) threads[id] = times;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The thread ended between listing and reading: it no longer matters.
            }
        }
        return threads.Count > 0 ? threads : null;
    }

    /// <summary>Parses one <c>schedstat</c> line ("running waiting slices"); null when it is not one.</summary>
    public static (long Running, long Waiting)? Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return fields.Length >= 2
            && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long running)
            && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long waiting)
            ? (running, waiting) : null;
    }

    /// <summary>
    /// Cores' worth of waiting per second between two readings <paramref name="seconds"/> apart: the waiting
    /// time of the threads that were busy in between, divided by the interval. Threads that appeared in
    /// between are left out (their history is unknown).
    /// </summary>
    public static double WaitingCores(IReadOnlyDictionary<int, (long Running, long Waiting)> before,
        IReadOnlyDictionary<int, (long Running, long Waiting)> after, double seconds)
    {
        if (seconds <= 0) return 0;
        double intervalNs = seconds * 1e9, waiting = 0;
        foreach (var (id, now) in after)
        {
            if (!before.TryGetValue(id, out var then)) continue;
            if (now.Running - then.Running >= 0.1 * intervalNs) waiting += Math.Max(0, now.Waiting - then.Waiting);
        }
        return waiting / intervalNs;
    }
}
