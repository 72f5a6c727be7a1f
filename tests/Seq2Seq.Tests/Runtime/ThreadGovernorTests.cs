using Microsoft.Extensions.Logging;
using Seq2Seq.Data;
using Seq2Seq.Inference;
using Seq2Seq.Runtime;
using Seq2Seq.Training;
using Seq2Seq.Tests.Support;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Runtime;

/// <summary>libtorch's thread count is process-wide for new threads: these tests run alone and restore it.</summary>
[Collection(GlobalRandomCollection.Name)]
public class ThreadGovernorTests
{
    /// <summary>
    /// Readings of one busy thread that waited <see cref="WaitingPerSample"/> seconds per 3-second sample, on two cores
    /// of which other processes used <see cref="OtherCores"/>.
    /// </summary>
    private sealed class FakeScheduler
    {
        private long _running, _waiting, _busy, _total, _own;
        public double WaitingPerSample { get; set; }
        public double OtherCores { get; set; }

        /// <summary>libtorch's thread count on the reading thread at each reading: what the work before it ran at.</summary>
        public List<int> ThreadsAtReading { get; } = [];

        public ThreadGovernor.Reading Read()
        {
            ThreadsAtReading.Add(get_num_threads());
            _running += 2_000_000_000;
            _waiting += (long)(WaitingPerSample * 1e9);
            _total += 600;   // two cores, 100 ticks a second, 3 seconds
            _own += 200;
            _busy += 200 + (long)(OtherCores * 300);
            return new ThreadGovernor.Reading(new Dictionary<int, (long, long)> { [1] = (_running, _waiting) }, new CpuUse(_busy, _total, 2, _own));
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
            var scheduler = new FakeScheduler { WaitingPerSample = 2.5, OtherCores = 1.2 };
            double t = 0;
            var governor = ThreadGovernor.Start(1, scheduler.Read, null, availableCores: 2, seconds: () => t += 3);
            Assert.False(governor.Adaptive);
            Assert.Equal(1, get_num_threads());
            for (int i = 1; i <= 20; i++) governor.Tick();
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
            var log = new RecordingLogger();
            double t = 0;
            var governor = ThreadGovernor.Start(null, scheduler.Read, log, availableCores: 2, seconds: () => t);
            Assert.True(governor.Adaptive);
            Assert.Equal(2, get_num_threads());

            void Samples(int count) { for (int i = 0; i < count; i++) { t += 3; governor.Tick(); } }
            Samples(5);
            Assert.Equal(2, get_num_threads());

            scheduler.WaitingPerSample = 2.4;   // 0.8 cores' worth of waiting, with a core used by another process
            scheduler.OtherCores = 1.0;
            t += 0.5 * ThreadGovernor.SampleSeconds;
            governor.Tick();                    // within a sample: no reading, no change
            Assert.Equal(2, governor.Threads);
            t += 3 - 0.5 * ThreadGovernor.SampleSeconds;
            governor.Tick();                    // 3 seconds of a taken core
            Assert.Equal(1, governor.Threads);
            Assert.Equal(1, get_num_threads()); // read back from libtorch on the calling thread

            scheduler.WaitingPerSample = 0.03;
            scheduler.OtherCores = 0.02;
            Samples((int)Math.Ceiling(new ThreadPolicy(2).SecondsToReturn / 3));
            Assert.Equal(2, governor.Threads);
            Assert.Equal(2, get_num_threads());

            // Each change is told, with the readings that made it.
            Assert.Collection(log.Entries.Where(e => e.Level >= LogLevel.Information),
                e => Assert.StartsWith("Another process is using the CPU (1.00 cores; our threads waited 0.80", e.Message),
                e => Assert.StartsWith("A core is free again (0.02 cores used by other processes): 2 threads", e.Message));
        });
    }

    /// <summary>An adaptive governor beside a co-runner from the start, whose clock moves 3 seconds at every look: each tick samples.</summary>
    private static (FakeScheduler Scheduler, ThreadGovernor Governor) ContendedFromTheStart()
    {
        var scheduler = new FakeScheduler { WaitingPerSample = 2.4, OtherCores = 1.0 };
        double t = 0;
        return (scheduler, ThreadGovernor.Start(null, scheduler.Read, null, availableCores: 2, seconds: () => t += 3));
    }

    [Fact]
    public void A_training_step_samples_after_its_forward_pass_so_that_its_backward_pass_can_run_at_one_thread()
    {
        WithThreads(() =>
        {
            var (scheduler, governor) = ContendedFromTheStart();
            var model = TinyModels.Create(3);
            using var optimizer = TrainingStep.CreateOptimizer(model, 1e-3, 0);
            using var batch = Batch.Create([[5, 6, 7, 8], [9, 10, 11]], [[12, 13, 14], [15, 16]], CPU);
            new TrainingStep(model, optimizer, labelSmoothing: 0, clipNorm: 1, seed: 1) { Threads = governor }.Run(batch, 1e-3, step: 1);

            // After the two readings at the start, one after the forward pass (run at two threads) and one after the
            // update: the backward pass ran at one.
            Assert.Equal([2, 1], scheduler.ThreadsAtReading.Skip(2));
            Assert.Equal(1, governor.Threads);
        });
    }

    [Fact]
    public void A_search_samples_after_every_decoder_step_so_that_the_rest_of_the_batch_can_run_at_one_thread()
    {
        WithThreads(() =>
        {
            var (scheduler, governor) = ContendedFromTheStart();
            using var model = TinyModels.Create(3);
            using var batch = Batch.Create([[5, 6, 7, 8], [9, 10, 11]], null, CPU);
            var steps = new List<int>();
            BeamSearch.Search(model, batch, new SearchOptions { BeamSize = 2, MaxLengthOffset = 4 }, decodedRows: steps, threads: governor);

            // After the two readings at the start, one per decoder step: the first step ran at two threads, the rest at one.
            Assert.True(steps.Count >= 2);
            Assert.Equal([2, .. Enumerable.Repeat(1, steps.Count - 1)], scheduler.ThreadsAtReading.Skip(2));
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
