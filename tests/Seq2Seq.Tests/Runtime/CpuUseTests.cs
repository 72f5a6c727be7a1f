using Seq2Seq.Runtime;

namespace Seq2Seq.Tests.Runtime;

public class CpuUseTests
{
    [Fact]
    public void The_allowed_cpu_list_is_read_with_its_ranges()
    {
        Assert.Equal([0, 1, 2, 3, 6], CpuUse.AllowedCpus("Name:\tdotnet\nCpus_allowed:\t4f\nCpus_allowed_list:\t0-3,6\nMems_allowed:\t1\n")!.Order());
        Assert.Equal([1], CpuUse.AllowedCpus("Cpus_allowed_list:\t1\n")!);
        Assert.Null(CpuUse.AllowedCpus("Name:\tdotnet\n"));
        Assert.Null(CpuUse.AllowedCpus("Cpus_allowed_list:\tx-2\n"));
    }

    [Fact]
    public void Busy_ticks_leave_out_idle_and_io_wait_and_count_only_the_allowed_cpus()
    {
        string[] stat =
        [
            "cpu  6796988 218144 260992 427440 3473 0 982 2276 0 0",
            "cpu0 100 10 20 300 5 0 1 2 0 0",
            "cpu1 200 0 40 100 7 0 3 0 0 0",
            "cpu2 999 999 999 999 999 0 0 0 0 0",
            "intr 25410295 0 0",
        ];
        Assert.Equal((133L + 243L, 438L + 350L), CpuUse.Machine(stat, new HashSet<int> { 0, 1 }));
        Assert.Null(CpuUse.Machine(stat, new HashSet<int> { 0, 5 }));   // a CPU the kernel did not list
        Assert.Null(CpuUse.Machine(["cpu0 100 10 20 300 x 0 1 2 0 0"], new HashSet<int> { 0 }));
        Assert.Null(CpuUse.Machine(["cpu0 100 10 20"], new HashSet<int> { 0 }));
    }

    [Fact]
    public void Own_ticks_are_user_plus_system_counted_after_the_command_name()
    {
        // A command name with a space and a bracket in it, as a process may choose.
        const string stat = "27917 (my prog) x) R 27912 27912 27153 0 -1 4194304 120 0 0 0 731 42 0 0 20 0 1 0";
        Assert.Equal(773L, CpuUse.OwnTicks(stat));
        Assert.Null(CpuUse.OwnTicks("27917 cat R 1"));
    }

    [Fact]
    public void Other_processes_cores_are_the_busy_share_minus_our_own()
    {
        // Two cores for 3 s at 100 ticks/s: 600 ticks in all; busy 450, of which ours 300.
        var before = new CpuUse(MachineBusy: 1000, MachineTotal: 5000, Cores: 2, Own: 700);
        var after = new CpuUse(MachineBusy: 1450, MachineTotal: 5600, Cores: 2, Own: 1000);
        Assert.Equal(0.5, CpuUse.OtherCores(before, after), 9);
        Assert.Equal(0, CpuUse.OtherCores(before, before));
        Assert.Equal(0, CpuUse.OtherCores(before, after with { MachineBusy = 1299 }));   // a tick of sampling noise
    }

    [Fact]
    public void This_machine_reports_its_cores_on_linux()
    {
        var cpu = CpuUse.Read(Environment.ProcessorCount);
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(cpu);
            return;
        }
        Assert.NotNull(cpu);
        Assert.Equal(Environment.ProcessorCount, cpu.Value.Cores);
        Assert.True(cpu.Value.Own > 0 && cpu.Value.MachineBusy >= 0 && cpu.Value.MachineTotal > cpu.Value.MachineBusy);
        Assert.Null(CpuUse.Read(Environment.ProcessorCount + 1));   // a quota below the CPUs allowed: no reading
    }
}
