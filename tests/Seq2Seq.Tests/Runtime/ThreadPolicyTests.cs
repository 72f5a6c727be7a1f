using Seq2Seq.Runtime;

namespace Seq2Seq.Tests.Runtime;

/// <summary>
/// The policy on sequences of (our threads' run-queue waiting, other processes' CPU) in cores' worth per sample (3
/// seconds unless a test says otherwise), shaped like those measured on a 2-core machine: alone 0.00–0.05 waiting and 0.00–0.10 others; beside
/// busy loops or a build from another session 0.5–1.0 waiting and 0.8–1.3 others; beside niced work little waiting
/// though the niced work may use an idle half core; a service's own HTTP threads make its search threads wait with
/// no other process busy.
/// </summary>
public class ThreadPolicyTests
{
    private static List<int> Run(ThreadPolicy policy, IEnumerable<(double Waiting, double Others)> samples, double seconds = 3) =>
        samples.Select(s => policy.Observe(s.Waiting, s.Others, seconds)).ToList();

    private static IEnumerable<(double, double)> Repeat(double waiting, double others, int count) => Enumerable.Repeat((waiting, others), count);

    [Fact]
    public void Alone_or_beside_niced_work_every_core_is_kept()
    {
        var random = new Random(5);
        var alone = Enumerable.Range(0, 300).Select(_ => (0.05 * random.NextDouble(), 0.1 * random.NextDouble()));
        var niced = Enumerable.Range(0, 300).Select(_ => (0.06 * random.NextDouble(), 0.2 + 0.6 * random.NextDouble()));
        Assert.All(Run(new ThreadPolicy(2), alone.Concat(niced)), t => Assert.Equal(2, t));
    }

    [Fact]
    public void Waiting_caused_by_our_own_threads_is_not_a_co_runner()
    {
        var random = new Random(7);
        var ownHttpThreads = Enumerable.Range(0, 200).Select(_ => (0.3 + 0.6 * random.NextDouble(), 0.4 * random.NextDouble()));
        Assert.All(Run(new ThreadPolicy(2), ownHttpThreads), t => Assert.Equal(2, t));
    }

    [Fact]
    public void A_second_of_a_taken_core_is_a_burst_not_a_co_runner()
    {
        var threads = Run(new ThreadPolicy(2), [(0.01, 0.0), (0.8, 1.0), (0.02, 0.1), (0.9, 1.1), (0.01, 0.0), (0.02, 0.05)], seconds: 1);
        Assert.All(threads, t => Assert.Equal(2, t));
    }

    [Fact]
    public void Two_seconds_in_a_row_of_a_taken_core_drop_to_one_thread()
    {
        var threads = Run(new ThreadPolicy(2), [(0.01, 0.02), (0.02, 0.0), (0.74, 0.95), (0.91, 1.02)], seconds: 1);
        Assert.Equal([2, 2, 2, 1], threads);
    }

    [Fact]
    public void One_sample_over_a_whole_contended_step_is_enough_to_drop()
    {
        // Samples are taken between units of work: a training step at two contended threads can take seconds.
        var policy = new ThreadPolicy(2);
        Assert.Equal(2, policy.Observe(0.02, 0.01, 1.1));
        Assert.Equal(1, policy.Observe(1.03, 1.02, 5.4));
    }

    [Fact]
    public void Every_core_returns_after_six_free_seconds_however_they_are_sampled()
    {
        foreach (double seconds in new[] { 1.0, 1.5, 3.0 })
        {
            var policy = new ThreadPolicy(2);
            Assert.Equal(1, policy.Observe(0.9, 1.0, 5));
            int samples = (int)Math.Round(policy.SecondsToReturn / seconds);
            var threads = Run(policy, Repeat(0.01, 0.02, samples), seconds);
            Assert.All(threads.SkipLast(1), t => Assert.Equal(1, t));
            Assert.Equal(2, threads[^1]);
        }
    }

    [Fact]
    public void While_the_co_runner_lasts_one_thread_is_kept_through_its_pauses_and_every_core_returns_when_it_ends()
    {
        // At one thread our waiting says little; other processes' CPU stays near a core while they run.
        var samples = Repeat(0.02, 0.03, 1).Concat(Repeat(0.9, 1.0, 1))
            .Concat(Repeat(0.2, 1.2, 20)).Append((0.1, 0.3)).Concat(Repeat(0.2, 1.1, 20))   // a pause of one sample
            .Concat(Repeat(0.02, 0.03, 4));                                                // the co-runner ends
        var threads = Run(new ThreadPolicy(2), samples);
        Assert.Equal(2, threads[0]);
        Assert.All(threads.Skip(1).Take(42), t => Assert.Equal(1, t));
        Assert.Equal([1, 2, 2, 2], threads.Skip(43));
    }

    [Fact]
    public void A_new_co_runner_after_a_free_spell_is_met_the_same_way()
    {
        var threads = Run(new ThreadPolicy(2), Repeat(0.8, 1.0, 10).Concat(Repeat(0.01, 0.02, 10)).Concat(Repeat(0.8, 1.0, 3)));
        Assert.Equal(1, threads[9]);
        Assert.Equal(2, threads[11]);
        Assert.Equal([1, 1, 1], threads.Skip(20));   // a 3-second sample of it is enough
    }

    [Fact]
    public void One_core_is_never_changed()
    {
        Assert.All(Run(new ThreadPolicy(1), Repeat(0.9, 1.5, 20)), t => Assert.Equal(1, t));
    }
}
