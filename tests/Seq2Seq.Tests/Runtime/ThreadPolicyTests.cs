using Seq2Seq.Runtime;

namespace Seq2Seq.Tests.Runtime;

/// <summary>
/// The policy on sequences of cores' worth of run-queue waiting per 3-second sample, shaped like those the
/// contention benchmark recorded on a 2-core machine: 0.00–0.04 alone, 0.5–1.0 at two threads beside busy loops
/// or a build from another session, 0.02–0.06 beside the same work in a niced session.
/// </summary>
public class ThreadPolicyTests
{
    private static List<int> Run(ThreadPolicy policy, IEnumerable<double> waits) => waits.Select(policy.Observe).ToList();

    [Fact]
    public void Alone_or_beside_niced_work_every_core_is_kept()
    {
        var random = new Random(5);
        var waits = Enumerable.Range(0, 500).Select(_ => 0.06 * random.NextDouble());
        Assert.All(Run(new ThreadPolicy(2), waits), t => Assert.Equal(2, t));
    }

    [Fact]
    public void One_busy_sample_is_a_burst_not_a_co_runner()
    {
        var threads = Run(new ThreadPolicy(2), [0.01, 0.8, 0.02, 0.9, 0.01, 0.02]);
        Assert.All(threads, t => Assert.Equal(2, t));
    }

    [Fact]
    public void Two_busy_samples_in_a_row_drop_to_one_thread()
    {
        var threads = Run(new ThreadPolicy(2), [0.01, 0.02, 0.74, 0.91]);
        Assert.Equal([2, 2, 2, 1], threads);
    }

    [Fact]
    public void While_the_co_runner_lasts_tries_of_every_core_fail_and_come_ever_more_rarely()
    {
        var policy = new ThreadPolicy(2) { FirstProbeSamples = 4, LongestProbeSamples = 16 };
        // At one thread the waiting says nothing about the other core; at two it is high while the co-runner lasts.
        var threads = new List<int>();
        for (int i = 0; i < 80; i++) threads.Add(policy.Observe(policy.Threads == 2 ? 0.85 : 0.3));
        var tries = threads.Select((t, i) => (t, i)).Where(x => x.t == 2 && x.i > 0 && threads[x.i - 1] == 1).Select(x => x.i).ToList();
        // Dropped after sample 1; tries after 4, then 8, then 16 (the cap), then 16 samples on one thread.
        Assert.Equal([1], threads.Select((t, i) => (t, i)).Where(x => x.t == 1).Take(1).Select(x => x.i));
        Assert.Equal([5, 14, 31, 48, 65], tries);
        Assert.All(tries, i => Assert.Equal(1, threads[i + 1]));
    }

    [Fact]
    public void When_the_core_is_free_again_the_next_try_keeps_every_core()
    {
        var policy = new ThreadPolicy(2) { FirstProbeSamples = 4 };
        var threads = Run(policy, [0.9, 0.9, 0.4, 0.4, 0.4, 0.4, /* co-runner ends */ 0.02, 0.01, 0.03, 0.02, 0.01]);
        Assert.Equal([2, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2], threads);
    }

    [Fact]
    public void After_a_successful_try_a_new_co_runner_is_met_with_the_first_short_wait_again()
    {
        var policy = new ThreadPolicy(2) { FirstProbeSamples = 3, LongestProbeSamples = 12 };
        // A long co-runner (the wait between tries grows), then a free spell, then a new co-runner.
        var waits = Enumerable.Repeat(0.9, 40).Concat(Enumerable.Repeat(0.01, 20)).Concat(Enumerable.Repeat(0.9, 8));
        var threads = Run(policy, waits);
        int secondDrop = Enumerable.Range(61, 7).First(i => threads[i] == 1);
        Assert.Equal(2, threads[59]);
        Assert.Equal(61, secondDrop);
        Assert.Equal(2, threads[secondDrop + 3]);   // the first try comes after FirstProbeSamples again
    }

    [Fact]
    public void One_core_is_never_changed()
    {
        Assert.All(Run(new ThreadPolicy(1), Enumerable.Repeat(0.9, 20)), t => Assert.Equal(1, t));
    }
}
