using System.Diagnostics;
using Seq2Seq.Inference;

namespace Seq2Seq.Serving;

/// <summary>
/// A translate job the worker has taken from the queue: its texts, tokenized, join the continuous search one by one
/// as the running batch has room, and the job is answered when its last text is done (or abandoned, never answered).
/// </summary>
internal sealed class RunningJob
{
    private readonly SourceText[] _texts;
    private readonly int[][]? _firstPieces;   // of the next-word alternatives, when asked for
    private readonly Translation?[] _translations;
    private readonly ContinuousSearch.Entry?[] _entries;  // of the texts that have joined, to take them out again
    private int _joined;
    private int _remaining;

    /// <summary>Tokenizes the job's texts and prefixes (and finds the first pieces of their alternatives, if asked for).</summary>
    public RunningJob(TranslateJob job, ContinuousSearch search)
    {
        Job = job;
        _texts = [.. job.Texts.Select((text, i) => search.Prepare(text, job.Prefixes?[i]))];
        _firstPieces = search.FirstPieces(_texts, job.Options);
        _translations = new Translation?[_texts.Length];
        _entries = new ContinuousSearch.Entry?[_texts.Length];
        _remaining = _texts.Length;
    }

    public TranslateJob Job { get; }

    /// <summary>When the worker took the job from the queue.</summary>
    public long StartedAt { get; } = Stopwatch.GetTimestamp();

    /// <summary>True when every text has its translation.</summary>
    public bool Done => _remaining == 0;

    /// <summary>
    /// Adds the texts that have not joined yet to <paramref name="search"/> while <paramref name="fits"/> says the
    /// running batch has room for the next; false when some must wait for the next step boundary.
    /// </summary>
    /// <param name="answered">Called once, when the last text's translation has arrived and the job is complete.</param>
    public bool JoinInto(ContinuousSearch search, Func<SourceText, bool> fits, Action<RunningJob> answered)
    {
        if (_texts.Length == 0)
        {
            Job.Complete([]);
            answered(this);
            return true;
        }
        for (; _joined < _texts.Length; _joined++)
        {
            if (!fits(_texts[_joined])) return false;
            int index = _joined;
            _entries[index] = search.Add(_texts[index], Job.Options, _firstPieces?[index], translation =>
            {
                _translations[index] = translation;
                if (--_remaining > 0) return;
                Job.Complete(_translations!);
                answered(this);
            });
        }
        return true;
    }

    /// <summary>
    /// Takes the job's texts out of <paramref name="search"/> without answering (its client went away): those being
    /// searched leave the running batch now, those still waiting never join. Returns how many texts had no translation yet.
    /// </summary>
    public int Abandon(ContinuousSearch search)
    {
        foreach (var entry in _entries)
            if (entry is not null) search.Remove(entry);
        _joined = _texts.Length;
        return _remaining;
    }
}
