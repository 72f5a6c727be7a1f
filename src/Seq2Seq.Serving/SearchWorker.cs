using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seq2Seq.Inference;

namespace Seq2Seq.Serving;

/// <summary>
/// The one thread that touches the model (Torch modules are not safe to share between concurrent searches).
/// It loads the model, then takes queued jobs: everything already waiting and, while other requests are still
/// being received, what arrives within <see cref="ServeOptions.MaxWaitMilliseconds"/>, up to
/// <see cref="ServeOptions.MaxBatchRows"/> texts (a lone request never waits). Texts of
/// requests with the same search options are translated as one batch; search is batch-invariant, so a text's
/// translation never depends on what shared its batch. Scores run per request, as <c>score</c> would run them.
/// A hosted service: it starts loading the model when the host starts, and stops last: Kestrel first stops
/// accepting and lets requests in flight finish (they need the worker), then <see cref="StoppedAsync"/> lets the
/// worker finish every queued job and frees the model.
/// </summary>
public sealed class SearchWorker : BackgroundService, IHostedLifecycleService
{
    private readonly Channel<SearchJob> _queue;
    private readonly Thread _thread;
    private readonly Func<TranslationModel> _open;
    private readonly ServeOptions _options;
    private readonly ServiceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<TranslationModel> _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _running = new(initialState: true);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;
    private int _arriving;

    public SearchWorker(Func<TranslationModel> open, IOptions<ServeOptions> options, ServiceMetrics metrics, ILogger<SearchWorker> logger)
    {
        _open = open;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _queue = Channel.CreateBounded<SearchJob>(new BoundedChannelOptions(_options.MaxQueuedRequests) { SingleReader = true });
        _thread = new Thread(Run) { IsBackground = true, Name = "seq2seq search" };
    }

    /// <summary>Completes when the model is loaded (or faults with the reason it could not be).</summary>
    public Task<TranslationModel> Loaded => _loaded.Task;

    /// <summary>The model once loaded, else null.</summary>
    public TranslationModel? Model => _loaded.Task.IsCompletedSuccessfully ? _loaded.Task.Result : null;

    /// <summary>True from the moment the host begins to stop: no new work should be sent.</summary>
    public bool Stopping { get; private set; }

    /// <summary>Loads the model and serves jobs on the worker's own thread until the queue is completed.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0) _thread.Start();
        return _stopped.Task;
    }

    /// <summary>Not the moment to stop: Kestrel is still draining requests that need the worker.</summary>
    public override Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        Stopping = true;
        return Task.CompletedTask;
    }

    /// <summary>After every other service has stopped: finish what is queued, then free the model.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (Volatile.Read(ref _started) == 1) await _stopped.Task.WaitAsync(cancellationToken);
        Model?.Dispose();
    }

    /// <summary>
    /// Tells the worker a request is being received and may soon queue a job, so a batch is worth waiting for;
    /// dispose the result once the job is queued or the request refused.
    /// </summary>
    public IDisposable Arriving()
    {
        Interlocked.Increment(ref _arriving);
        return new Arrival(this);
    }

    /// <summary>Queues <paramref name="job"/>; false when the queue is full or the worker is stopping.</summary>
    public bool TryEnqueue(SearchJob job)
    {
        _metrics.QueueLength.Inc();
        if (_queue.Writer.TryWrite(job)) return true;
        _metrics.QueueLength.Dec();
        return false;
    }

    /// <summary>
    /// Holds the worker before its next batch until the result is disposed, so tests can fill the queue
    /// deterministically (the 503 path, merging of concurrent requests).
    /// </summary>
    internal IDisposable Hold()
    {
        _running.Reset();
        return new Release(_running);
    }

    public override void Dispose()
    {
        _queue.Writer.TryComplete();
        if (Volatile.Read(ref _started) == 1) _thread.Join();
        Model?.Dispose();
        base.Dispose();
    }

    private void Run()
    {
        try { Serve(); }
        finally { _stopped.TrySetResult(); }
    }

    private void Serve()
    {
        TranslationModel model;
        try
        {
            model = _open();
        }
        catch (Exception e)
        {
            _loaded.TrySetException(e);
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var job)) job.Fail(e);
            return;
        }
        _loaded.TrySetResult(model);
        var batch = new List<SearchJob>();
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            _running.Wait();
            Gather(batch);
            foreach (var group in batch.OfType<TranslateJob>().GroupBy(j => j.GroupKey)) Translate(model, [.. group]);
            foreach (var job in batch.OfType<ScoreJob>()) Score(model, job);
            batch.Clear();
        }
    }

    /// <summary>Takes waiting jobs into <paramref name="batch"/> until it holds MaxBatchRows texts or MaxWait has passed.</summary>
    private void Gather(List<SearchJob> batch)
    {
        var reader = _queue.Reader;
        int rows = 0;
        long deadline = Stopwatch.GetTimestamp() + _options.MaxWaitMilliseconds * Stopwatch.Frequency / 1000;
        while (true)
        {
            // A job that would overflow the batch waits for the next one, unless the batch is empty.
            while (rows < _options.MaxBatchRows && reader.TryPeek(out var next) && (rows == 0 || rows + next.Rows <= _options.MaxBatchRows)
                && reader.TryRead(out next))
            {
                _metrics.QueueLength.Dec();
                _metrics.QueueWait.Observe(Stopwatch.GetElapsedTime(next.QueuedAt).TotalSeconds);
                batch.Add(next);
                rows += next.Rows;
            }
            long remaining = deadline - Stopwatch.GetTimestamp();
            if (rows >= _options.MaxBatchRows || remaining <= 0 || reader.TryPeek(out _)) return;
            // Waiting only pays when another request is on its way; a lone client never waits.
            if (Volatile.Read(ref _arriving) == 0) return;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
            try
            {
                if (!reader.WaitToReadAsync(timeout.Token).AsTask().GetAwaiter().GetResult()) return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Translate(TranslationModel model, List<TranslateJob> jobs)
    {
        var texts = jobs.SelectMany(j => j.Texts).ToList();
        long start = Stopwatch.GetTimestamp();
        try
        {
            var prefixes = jobs.Any(j => j.Prefixes is not null) ? jobs.SelectMany(j => j.Prefixes ?? j.Texts.Select(_ => "")).ToList() : null;
            var results = model.Translate(texts, prefixes, jobs[0].Options, _options.MaxBatchRows);
            Observe(start, texts.Count, jobs.Count, "translate");
            int offset = 0;
            foreach (var job in jobs)
            {
                job.Complete(results.Skip(offset).Take(job.Rows).ToArray());
                offset += job.Rows;
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "search failed for a batch of {Texts} texts from {Requests} requests", texts.Count, jobs.Count);
            foreach (var job in jobs) job.Fail(e);
        }
    }

    private void Score(TranslationModel model, ScoreJob job)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            // The batch size of `score`, so the scores equal the command's for the same pairs.
            var scores = model.Score(job.Pairs);
            Observe(start, job.Rows, 1, "score");
            job.Complete(scores);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "scoring failed for {Pairs} pairs", job.Rows);
            job.Fail(e);
        }
    }

    private void Observe(long start, int rows, int requests, string kind)
    {
        _metrics.SearchTime.Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
        _metrics.Searches.Inc();
        _metrics.BatchRows.Observe(rows);
        _metrics.BatchRequests.Observe(requests);
        _metrics.Texts.WithLabels(kind).Inc(rows);
    }

    private sealed class Arrival(SearchWorker worker) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref worker._arriving);
        }
    }

    private sealed class Release(ManualResetEventSlim running) : IDisposable
    {
        public void Dispose() => running.Set();
    }
}
