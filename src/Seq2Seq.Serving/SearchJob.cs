using Seq2Seq.Inference;

namespace Seq2Seq.Serving;

/// <summary>
/// One request's model work, queued for the <see cref="SearchWorker"/>. Completion runs the request's
/// continuation on the thread pool, never on the worker, so the worker goes straight on to its next step.
/// </summary>
/// <param name="abandoned">Fires when nobody waits for the answer any more (the client went away): the worker drops the job.</param>
public abstract class SearchJob(CancellationToken abandoned)
{
    /// <summary>Texts (or pairs) in this job.</summary>
    public abstract int Rows { get; }

    /// <summary>When the job was queued, for the queue-wait metric.</summary>
    public long QueuedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Fires when nobody waits for the answer any more; the job is then dropped and never answered.</summary>
    public CancellationToken Abandoned { get; } = abandoned;

    private int _holdsQueuePlace;
    private CancellationTokenRegistration _leaveWhenAbandoned;

    /// <summary>
    /// The job takes a place in the worker's queue; <paramref name="free"/> gives it back once, when the worker takes
    /// the job (<see cref="LeaveQueue"/>) or, earlier, when its client goes away while it waits.
    /// </summary>
    internal void EnterQueue(Action free)
    {
        _holdsQueuePlace = 1;
        _leaveWhenAbandoned = Abandoned.Register(() => { if (LeaveQueue()) free(); });
    }

    /// <summary>True only the first time it is called after <see cref="EnterQueue"/>: the caller frees the job's place.</summary>
    internal bool LeaveQueue() => Interlocked.Exchange(ref _holdsQueuePlace, 0) == 1;

    /// <summary>The worker has taken the job: its client going away no longer frees a place.</summary>
    internal void Taken() => _leaveWhenAbandoned.Dispose();

    /// <summary>Completes the job with an error (the model failed, or the service is stopping).</summary>
    public abstract void Fail(Exception error);
}

/// <summary>Texts to translate with one request's search options.</summary>
public sealed class TranslateJob(IReadOnlyList<string> texts, SearchOptions options, IReadOnlyList<string>? prefixes = null,
    CancellationToken abandoned = default) : SearchJob(abandoned)
{
    private readonly TaskCompletionSource<IReadOnlyList<Translation>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Texts { get; } = texts;

    /// <summary>Per text, the words its translation must start with ("" for none); null = none at all.</summary>
    public IReadOnlyList<string>? Prefixes { get; } = prefixes;
    public SearchOptions Options { get; } = options;
    public override int Rows => Texts.Count;

    /// <summary>The translations, in the order of <see cref="Texts"/>.</summary>
    public Task<IReadOnlyList<Translation>> Result => _done.Task;

    public void Complete(IReadOnlyList<Translation> translations) => _done.TrySetResult(translations);

    public override void Fail(Exception error) => _done.TrySetException(error);
}

/// <summary>Sentence pairs to score by forced decoding.</summary>
public sealed class ScoreJob(IReadOnlyList<(string Source, string Target)> pairs, CancellationToken abandoned = default) : SearchJob(abandoned)
{
    private readonly TaskCompletionSource<IReadOnlyList<ScoredPair>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<(string Source, string Target)> Pairs { get; } = pairs;
    public override int Rows => Pairs.Count;

    /// <summary>The scores, in the order of <see cref="Pairs"/>.</summary>
    public Task<IReadOnlyList<ScoredPair>> Result => _done.Task;

    public void Complete(IReadOnlyList<ScoredPair> scores) => _done.TrySetResult(scores);

    public override void Fail(Exception error) => _done.TrySetException(error);
}
