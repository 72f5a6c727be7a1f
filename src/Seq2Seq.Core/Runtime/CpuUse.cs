using System.Globalization;

namespace Seq2Seq.Runtime;

/// <summary>
/// Cumulative CPU time, in the kernel's clock ticks, of the cores this process may run on (busy and in all) and
/// of this process itself (<c>/proc/stat</c>, <c>/proc/self/stat</c>). Between two readings it tells how many
/// cores' worth <em>other</em> processes used: the sign of a co-runner that this process's own threads (HTTP,
/// data loading, the runtime) cannot fake, however long they make libtorch's threads wait.
/// </summary>
internal readonly record struct CpuUse(long MachineBusy, long MachineTotal, int Cores, long Own)
{
    /// <summary>Now, or null where the kernel does not say, or where a CPU quota makes the cores' load meaningless.</summary>
    public static CpuUse? Read(int availableCores)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var allowed = AllowedCpus(File.ReadAllText("/proc/self/status"));
            // A container quota smaller than the CPUs we may run on: their load is mostly other containers'.
            if (allowed is null || allowed.Count != availableCores) return null;
            var machine = Machine(File.ReadLines("/proc/stat"), allowed);
            long? own = OwnTicks(File.ReadAllText("/proc/self/stat"));
            return machine is { } m && own is { } o ? new CpuUse(m.Busy, m.Total, allowed.Count, o) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Cores' worth of CPU other processes used between two readings (0 when nothing passed).</summary>
    public static double OtherCores(CpuUse before, CpuUse after)
    {
        long total = after.MachineTotal - before.MachineTotal;
        if (total <= 0) return 0;
        long others = after.MachineBusy - before.MachineBusy - (after.Own - before.Own);
        // Ticks are sampled, so a quiet interval can come out a tick below zero.
        return Math.Max(0, (double)others / total * after.Cores);
    }

    /// <summary>The CPU numbers of <c>Cpus_allowed_list</c> ("0-3,6") in a <c>/proc/self/status</c> text.</summary>
    public static HashSet<int>? AllowedCpus(string status)
    {
        string? list = status.Split('\n').FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))?["Cpus_allowed_list:".Length..].Trim();
        if (string.IsNullOrEmpty(list)) return null;
        var cpus = new HashSet<int>();
        foreach (string range in list.Split(','))
        {
            var ends = range.Split('-');
            if (!int.TryParse(ends[0], CultureInfo.InvariantCulture, out int first)) return null;
            int last = first;
            if (ends.Length == 2 && !int.TryParse(ends[1], CultureInfo.InvariantCulture, out last)) return null;
            for (int cpu = first; cpu <= last; cpu++) cpus.Add(cpu);
        }
        return cpus;
    }

    /// <summary>Busy and total ticks of the <paramref name="cpus"/> from <c>/proc/stat</c>'s <c>cpuN</c> lines (idle and I/O wait are not busy).</summary>
    public static (long Busy, long Total)? Machine(IEnumerable<string> stat, IReadOnlySet<int> cpus)
    {
        long busy = 0, total = 0;
        int seen = 0;
        foreach (string line in stat)
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.Length < 4 || !char.IsDigit(line[3])) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!int.TryParse(fields[0].AsSpan(3), CultureInfo.InvariantCulture, out int cpu) || !cpus.Contains(cpu)) continue;
            // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
            var ticks = fields.Skip(1).Take(8).Select(f => long.TryParse(f, CultureInfo.InvariantCulture, out long t) ? t : -1).ToArray();
            if (ticks.Length < 8 || ticks.Any(t => t < 0)) return null;
            total += ticks.Sum();
            busy += ticks.Sum() - ticks[3] - ticks[4];
            seen++;
        }
        return seen == cpus.Count ? (busy, total) : null;
    }

    /// <summary>User plus system ticks of a <c>/proc/PID/stat</c> line (fields 14 and 15, counted after the command name).</summary>
    public static long? OwnTicks(string stat)
    {
        int end = stat.LastIndexOf(')');
        if (end < 0) return null;
        var fields = stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
        return fields.Length > 12
            && long.TryParse(fields[11], CultureInfo.InvariantCulture, out long user)
            && long.TryParse(fields[12], CultureInfo.InvariantCulture, out long system)
            ? user + system : null;
    }
}
