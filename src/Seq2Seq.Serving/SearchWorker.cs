using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seq2Seq.Inference;

namespace Seq2Seq.Serving;

/// <summary>
/// The one thread that touches the model (Torch modules are not safe to share between concurrent searches).
/// It loads the model, then runs iteration-level batching (<see cref="ContinuousSearch"/>): at every step
/// boundary it takes queued requests and lets their texts join the running batch while it has room
/// (<see cref="ServeOptions.MaxBatchRows"/> texts, <see cref="ServeOptions.MaxBatchSourceTokens"/> source positions),
/// then advances every search by one token; a text leaves as soon as its search is done and a request is answered
/// when its last text is. Search is batch-invariant, so a text's translation never depends on what shared its
/// steps. Scores run per request at a step boundary, as <c>score</c> would run them. A job whose client has gone away
/// (<see cref="SearchJob.Abandoned"/>) is dropped at the next step boundary, unanswered: queued, it never joins;
/// searching, its texts leave the running batch.
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
    private readonly object _holding = new();                // guards _holdAt; pulsed when a hold ends
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<RunningJob> _searching = [];   // jobs with texts in the running batch
    private RunningJob? _joining;                           // a job whose texts wait for room in the running batch
    private long _steps;
    private long _holdAt = long.MaxValue;                   // tests: the step count at which the worker pauses
    private int _started;
    private int _arriving;
    private int _queued;                                    // places taken in the queue (MaxQueuedRequests at most)

    public SearchWorker(Func<TranslationModel> open, IOptions<ServeOptions> options, ServiceMetrics metrics, ILogger<SearchWorker> logger)
    {
        _open = open;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        // Places are counted apart (_queued), so a job whose client has gone away frees its place at once; it stays in
        // the channel until the worker reads it, and the channel's own bound caps what such jobs can hold.
        _queue = Channel.CreateBounded<SearchJob>(new BoundedChannelOptions(2 * _options.MaxQueuedRequests) { SingleReader = true });
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

    /// <summary>
    /// Queues <paramref name="job"/>; false when the queue is full or the worker is stopping. A queued job whose client
    /// goes away gives its place back at once, so requests nobody waits for never fill the queue.
    /// </summary>
    public bool TryEnqueue(SearchJob job)
    {
        if (Interlocked.Increment(ref _queued) > _options.MaxQueuedRequests)
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }
        _metrics.QueueLength.Inc();
        job.EnterQueue(FreeQueuePlace);
        if (_queue.Writer.TryWrite(job)) return true;
        LeaveQueue(job);
        return false;
    }

    /// <summary>The job is out of the queue (taken by the worker, or never written): its place is free unless its client's leaving freed it.</summary>
    private void LeaveQueue(SearchJob job)
    {
        job.Taken();
        if (job.LeaveQueue()) FreeQueuePlace();
    }

    private void FreeQueuePlace()
    {
        Interlocked.Decrement(ref _queued);
        _metrics.QueueLength.Dec();
    }

    /// <summary>
    /// Holds the worker at a step boundary, after <paramref name="steps"/> more steps, until the result is disposed,
    /// so tests can fill the queue deterministically (the 503 path, requests joining together or mid-search). Called
    /// again while held, it moves the hold point (one step at a time: <c>Hold(1)</c>).
    /// </summary>
    internal IDisposable Hold(int steps = 0)
    {
        lock (_holding)
        {
            _holdAt = Interlocked.Read(ref _steps) + steps;
            Monitor.PulseAll(_holding);
        }
        return new Release(this);
    }

    /// <summary>Steps the worker has run.</summary>
    internal long Steps => Interlocked.Read(ref _steps);

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
        using var search = model.StartContinuousSearch(_options.MaxJoinWaitSteps);
        while (!search.Idle || _joining is not null || _queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            WhileHeld();
            DropAbandoned(search);
            Admit(model, search);
            if (!search.Idle) Step(search, model.Threads);
        }
    }

    private void WhileHeld()
    {
        lock (_holding)
            while (Interlocked.Read(ref _steps) >= _holdAt) Monitor.Wait(_holding);
    }

    /// <summary>
    /// At a step boundary: takes queued jobs (scores run at once) and lets their texts join the running batch while
    /// it has room; a job whose texts do not all fit keeps its place and goes on joining at the next boundary.
    /// When the worker was idle, it waits up to MaxWait for requests still being received, so they start together.
    /// </summary>
    private void Admit(TranslationModel model, ContinuousSearch search)
    {
        bool idle = search.Idle;
        long deadline = Stopwatch.GetTimestamp() + _options.MaxWaitMilliseconds * Stopwatch.Frequency / 1000;
        bool Fits(SourceText text) => search.Idle ||
            (search.Texts < _options.MaxBatchRows && search.SourceTokens + text.PaddedLength <= _options.MaxBatchSourceTokens);
        while (true)
        {
            if (_joining is { } joining)
            {
                if (!joining.JoinInto(search, Fits, Answered)) return;
                _joining = null;
            }
            if (_queue.Reader.TryRead(out var job))
            {
                LeaveQueue(job);
                _metrics.QueueWait.Observe(Stopwatch.GetElapsedTime(job.QueuedAt).TotalSeconds);
                if (job.Abandoned.IsCancellationRequested) Abandoned(job, "queued", job.Rows);
                else if (job is ScoreJob scoring) Score(model, scoring);
                else if (job is TranslateJob translating) Start(translating, search);
                continue;
            }
            if (!idle || search.Texts >= _options.MaxBatchRows || !WaitForArrivals(deadline)) return;
        }
    }

    /// <summary>Tokenizes a job's texts and makes it the one joining.</summary>
    private void Start(TranslateJob job, ContinuousSearch search)
    {
        try
        {
            _joining = new RunningJob(job, search);
            _searching.Add(_joining);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "could not prepare {Texts} texts for search", job.Rows);
            job.Fail(e);
        }
    }

    private void Answered(RunningJob job)
    {
        _searching.Remove(job);
        _metrics.SearchTime.Observe(Stopwatch.GetElapsedTime(job.StartedAt).TotalSeconds);
        _metrics.Texts.WithLabels("translate").Inc(job.Job.Rows);
    }

    /// <summary>
    /// At a step boundary: drops the jobs whose clients have gone away, so their rows stop costing every step; their
    /// texts leave the running batch as finished ones do, and the other texts are searched exactly as before.
    /// </summary>
    private void DropAbandoned(ContinuousSearch search)
    {
        foreach (var job in _searching.Where(j => j.Job.Abandoned.IsCancellationRequested).ToList())
        {
            _searching.Remove(job);
            if (_joining == job) _joining = null;
            try
            {
                Abandoned(job.Job, "searching", job.Abandon(search));
            }
            catch (Exception e)
            {
                _logger.LogError(e, "dropping the texts of an abandoned request failed; failing {Requests} requests", _searching.Count);
                FailAll(search, e);
                return;
            }
        }
    }

    private void Abandoned(SearchJob job, string stage, int texts)
    {
        _metrics.AbandonedRequests.WithLabels(stage).Inc();
        _metrics.AbandonedTexts.WithLabels(job is ScoreJob ? "score" : "translate").Inc(texts);
        _logger.LogDebug("dropped {Texts} of {Rows} texts of a request whose client went away ({Stage})", texts, job.Rows, stage);
    }

    /// <summary>Waits until MaxWait has passed or a job is queued, while another request is being received.</summary>
    private bool WaitForArrivals(long deadline)
    {
        long remaining = deadline - Stopwatch.GetTimestamp();
        // Waiting only pays when another request is on its way; a lone client never waits.
        if (remaining <= 0 || Volatile.Read(ref _arriving) == 0) return false;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
        try
        {
            return _queue.Reader.WaitToReadAsync(timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// One step of the running batch, run with <paramref name="threads"/> CPU threads; if it fails, every request in it
    /// fails (the runs cannot be trusted).
    /// </summary>
    private void Step(ContinuousSearch search, int threads)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            var (rows, texts) = search.Step();
            _metrics.StepTime.Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
            _metrics.StepRows.Observe(rows);
            _metrics.StepTexts.Observe(texts);
            _metrics.StepThreads.Observe(threads);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "a search step failed for {Texts} texts from {Requests} requests", search.Texts, _searching.Count);
            FailAll(search, e);
        }
        Interlocked.Increment(ref _steps);
    }

    /// <summary>Fails every request in the running batch and empties it (its runs cannot be trusted).</summary>
    private void FailAll(ContinuousSearch search, Exception e)
    {
        foreach (var job in _searching) job.Job.Fail(e);
        _searching.Clear();
        _joining = null;
        search.Clear();
    }

    private void Score(TranslationModel model, ScoreJob job)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            // The batch size of `score`, so the scores equal the command's for the same pairs.
            var scores = model.Score(job.Pairs);
            _metrics.SearchTime.Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
            _metrics.Texts.WithLabels("score").Inc(job.Rows);
            job.Complete(scores);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "scoring failed for {Pairs} pairs", job.Rows);
            job.Fail(e);
        }
    }

    private sealed class Arrival(SearchWorker worker) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref worker._arriving);
        }
    }

    private sealed class Release(SearchWorker worker) : IDisposable
    {
        public void Dispose()
        {
            lock (worker._holding)
            {
                worker._holdAt = long.MaxValue;
                Monitor.PulseAll(worker._holding);
            }
        }
    }
}
