using Seq2Seq.Runtime;
using Seq2Seq.Tests.Support;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Runtime;

/// <summary>libtorch's thread count is process-wide for new threads: these tests run alone and restore it.</summary>
[Collection(GlobalRandomCollection.Name)]
public class ThreadGovernorTests
{
    /// <summary>Scheduler readings of one busy thread that waited <paramref name="waitingPerSample"/> seconds per 3-second sample.</summary>
    private sealed class FakeScheduler
    {
        private long _running, _waiting;
        public double WaitingPerSample { get; set; }

        public IReadOnlyDictionary<int, (long Running, long Waiting)> Read()
        {
            _running += 2_000_000_000;
            _waiting += (long)(WaitingPerSample * 1e9);
            return new Dictionary<int, (long, long)> { [1] = (_running, _waiting) };
        }
    }

    private static void WithThreads(Action body)
    {
        int before = get_num_threads();
        try { body(); }
        finally { set_num_threads(before); }
    }

    [Fact]
    public void An_explicit_count_is_set_and_never_changed()
    {
        WithThreads(() =>
        {
            var scheduler = new FakeScheduler { WaitingPerSample = 2.5 };
            var governor = ThreadGovernor.Start(1, scheduler.Read, null, availableCores: 2);
            Assert.False(governor.Adaptive);
            Assert.Equal(1, get_num_threads());
            for (int i = 1; i <= 20; i++) governor.TickAt(3 * i);
            Assert.Equal(1, governor.Threads);
            Assert.Equal(1, get_num_threads());
            Assert.Throws<ArgumentOutOfRangeException>(() => ThreadGovernor.Start(-1, scheduler.Read, null, availableCores: 2));
        });
    }

    [Fact]
    public void Without_a_count_it_drops_to_one_thread_beside_a_co_runner_and_returns_when_the_core_is_free()
    {
        WithThreads(() =>
        {
            var scheduler = new FakeScheduler();
            var governor = ThreadGovernor.Start(null, scheduler.Read, null, availableCores: 2);
            Assert.True(governor.Adaptive);
            Assert.Equal(2, get_num_threads());

            double t = 0;
            void Samples(int count) { for (int i = 0; i < count; i++) governor.TickAt(t += ThreadGovernor.SampleSeconds); }
            Samples(5);
            Assert.Equal(2, get_num_threads());

            scheduler.WaitingPerSample = 2.4;   // 0.8 cores' worth of waiting
            governor.TickAt(t + 1);             // within a sample: no reading, no change
            Samples(2);
            Assert.Equal(1, governor.Threads);
            Assert.Equal(1, get_num_threads()); // read back from libtorch on the calling thread

            scheduler.WaitingPerSample = 0.03;
            Samples(new ThreadPolicy(2).FirstProbeSamples + 1);
            Assert.Equal(2, governor.Threads);
            Assert.Equal(2, get_num_threads());
        });
    }

    [Fact]
    public void Without_scheduler_statistics_or_with_one_core_the_count_is_fixed()
    {
        WithThreads(() =>
        {
            Assert.False(ThreadGovernor.Start(null, () => null, null, availableCores: 2).Adaptive);
            var single = ThreadGovernor.Start(0, new FakeScheduler().Read, null, availableCores: 1);
            Assert.False(single.Adaptive);
            Assert.Equal(1, get_num_threads());
        });
    }
}
