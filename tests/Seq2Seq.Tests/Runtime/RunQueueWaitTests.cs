using Seq2Seq.Runtime;

namespace Seq2Seq.Tests.Runtime;

public class RunQueueWaitTests
{
    [Fact]
    public void A_schedstat_line_gives_its_running_and_waiting_nanoseconds()
    {
        Assert.Equal((85268688571L, 2344213284L), RunQueueWait.Parse("85268688571 2344213284 12910\n"));
        Assert.Null(RunQueueWait.Parse(""));
        Assert.Null(RunQueueWait.Parse("12 x 3"));
        Assert.Null(RunQueueWait.Parse("-5 3 1"));
    }

    [Fact]
    public void Only_threads_busy_for_a_tenth_of_the_interval_count_and_new_threads_are_left_out()
    {
        const long s = 1_000_000_000;
        var before = new Dictionary<int, (long, long)> { [1] = (0, 0), [2] = (0, 0), [3] = (0, 0) };
        var after = new Dictionary<int, (long, long)>
        {
            [1] = (2 * s, s / 2),           // a libtorch thread: ran 2 s of 3, waited 0.5 s
            [2] = (s, 2 * s),               // its partner that lost its core: ran 1 s, waited 2 s
            [3] = (s / 20, 3 * s / 2),      // a mostly idle runtime thread waking on busy cores: not counted
            [4] = (3 * s, 3 * s),           // appeared in between: history unknown
        };
        Assert.Equal(2.5 / 3, RunQueueWait.WaitingCores(before, after, 3), 9);
        Assert.Equal(0, RunQueueWait.WaitingCores(before, after, 0));
    }

    [Fact]
    public void This_process_reports_its_own_threads_on_linux()
    {
        var threads = RunQueueWait.Read();
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(threads);
            return;
        }
        Assert.NotNull(threads);
        Assert.Contains(Environment.ProcessId, threads.Keys);
        Assert.All(threads.Values, t => Assert.True(t.Running >= 0 && t.Waiting >= 0));
        Assert.True(threads[Environment.ProcessId].Running > 0);
    }
}
