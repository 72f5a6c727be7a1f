using Seq2Seq.Data;
using Seq2Seq.Model;
using TorchSharp;

namespace Seq2Seq.Inference;

/// <summary>
/// Iteration-level batching: texts join a running search at a step boundary and leave it as soon as their
/// search is done, each answered at once, instead of a batch running until its longest sentence ends.
/// <para>
/// There is one <see cref="BeamRun"/> per source-length bucket and set of search options, because a translation
/// must not depend on what shares its batch: sentences of one bucket are padded to one width (products over the
/// source round differently for other widths), and every run keeps at least <see cref="BeamSearch.MinimumRows"/>
/// rows. Each <see cref="Step"/> encodes waiting texts into their runs, then advances every run by one token. A
/// text's answer is byte for byte what <see cref="Translator.Translate"/> gives.
/// </para>
/// <para>
/// Encoding costs about as much for one text as for <see cref="BeamSearch.MinimumRows"/> of them (the encoder never
/// runs on fewer rows), close to a whole step of a running batch; so a text that would join a running search may
/// wait up to <paramref name="maxJoinWaitSteps"/> steps for others to be encoded with it. A text that starts a
/// search, or finds MinimumRows texts waiting with it, joins at once. Whenever texts join, every waiting text joins,
/// whatever its width or options, all encoded in one call at the widest width (each cut back to its own: the states
/// of real tokens do not depend on the padding after them).
/// </para>
/// Not thread-safe: one thread adds texts and steps (it owns the model while it does).
/// </summary>
internal sealed class ContinuousSearch(Translator translator, int maxJoinWaitSteps = 0) : IDisposable
{
    /// <summary>
    /// What a text's run depends on: its padded source length and every option that changes what search returns
    /// (the number of alternatives does not: each is a search with a prefix of its own).
    /// </summary>
    private readonly record struct RunKey(int Width, int Beam, int NBest, double LengthPenalty, double MaxLengthRatio, int MaxLengthOffset)
    {
        public static RunKey Of(SourceText text, SearchOptions options) =>
            new(text.PaddedLength, options.BeamSize, options.NBest, options.LengthPenalty, options.MaxLengthRatio, options.MaxLengthOffset);
    }

    /// <summary>
    /// A text's searches: its translation's and, with alternatives, one per first piece, all in one run. What
    /// <see cref="Add"/> returns, for <see cref="Remove"/>.
    /// </summary>
    public sealed class Entry(SourceText text, SearchOptions options, int[]? firstPieces, Action<Translation> done, long addedAt)
    {
        private int _searching = 1 + (firstPieces?.Length ?? 0);

        internal SourceText Text => text;
        internal SearchOptions Options => options;
        internal long AddedAt => addedAt;
        internal BeamSentence[] Sentences { get; } = [text.ToSentence(), .. (firstPieces ?? []).Select(p => text.ToSentence(text.Prefix.Then(p)))];

        /// <summary>Notes that one of its searches is done; when it was the last, answers the text.</summary>
        internal void Leave(Translator translator)
        {
            if (--_searching > 0) return;
            done(translator.Finish(text, Sentences[0].Best(options.NBest),
                firstPieces is null ? null : Sentences[1..].Select(s => (IReadOnlyList<Hypothesis>)s.Best(options.NBest)), options.Alternatives));
        }
    }

    private readonly Dictionary<RunKey, BeamRun> _runs = [];
    private readonly Dictionary<RunKey, List<Entry>> _joining = [];
    private readonly Dictionary<BeamSentence, Entry> _searching = [];
    private long _steps;

    /// <summary>Searches running or waiting to join: one per text, and one more per next-word alternative searched beside it.</summary>
    public int Texts { get; private set; }

    /// <summary>The padded source positions of those searches (what attention over the source costs per step).</summary>
    public int SourceTokens { get; private set; }

    /// <summary>True when nothing is being searched or waiting to join.</summary>
    public bool Idle => Texts == 0;

    /// <summary>Tokenizes a text and its prefix (null or "" for none), cut to the model's source length limit.</summary>
    public SourceText Prepare(string text, string? prefix = null) => translator.Prepare(text, prefix);

    /// <summary>
    /// With <see cref="SearchOptions.Alternatives"/>, per text the first pieces of its next-word alternatives, computed
    /// in the batches <c>translate</c> uses at its default batch size; null without alternatives.
    /// </summary>
    public int[][]? FirstPieces(IReadOnlyList<SourceText> texts, SearchOptions options)
    {
        translator.Threads?.ApplyToCurrentThread();
        return translator.FirstPieces(texts, options, TranslationModel.DefaultBatchSize);
    }

    /// <summary>
    /// Queues <paramref name="text"/> (and, with <paramref name="firstPieces"/> from <see cref="FirstPieces"/>, a search
    /// per alternative) to join at a coming <see cref="Step"/>; <paramref name="done"/> receives its translation when
    /// its searches are done (at once for an empty text). Returns what <see cref="Remove"/> takes.
    /// </summary>
    public Entry Add(SourceText text, SearchOptions options, int[]? firstPieces, Action<Translation> done)
    {
        options.Validate();
        var entry = new Entry(text, options, firstPieces, done, _steps);
        if (text.Ids.Length == 0)
        {
            done(translator.Finish(text, []));
            return entry;
        }
        var key = RunKey.Of(text, options);
        if (!_joining.TryGetValue(key, out var joining)) _joining[key] = joining = [];
        joining.Add(entry);
        Texts += entry.Sentences.Length;
        SourceTokens += entry.Sentences.Length * text.PaddedLength;
        return entry;
    }

    /// <summary>
    /// Drops a text that is no longer wanted, between steps, without answering it: if it is waiting to join it never
    /// does; if it is being searched its rows leave its run now, as they would if it were done. Nothing for a text that
    /// has already been answered.
    /// </summary>
    public void Remove(Entry entry)
    {
        var key = RunKey.Of(entry.Text, entry.Options);
        if (_joining.TryGetValue(key, out var joining) && joining.Remove(entry))
        {
            if (joining.Count == 0) _joining.Remove(key);
            Texts -= entry.Sentences.Length;
            SourceTokens -= entry.Sentences.Length * entry.Text.PaddedLength;
            return;
        }
        var searching = entry.Sentences.Where(_searching.ContainsKey).ToHashSet();
        if (searching.Count == 0) return;
        var run = _runs[key];
        using (torch.inference_mode()) run.Remove(searching);
        foreach (var sentence in searching) _searching.Remove(sentence);
        Texts -= searching.Count;
        SourceTokens -= searching.Count * entry.Text.PaddedLength;
        DisposeIfDone(key, run);
    }

    /// <summary>Frees a run whose sentences have all left.</summary>
    private void DisposeIfDone(RunKey key, BeamRun run)
    {
        if (run.Alive > 0) return;
        run.Dispose();
        _runs.Remove(key);
    }

    /// <summary>
    /// Lets the waiting texts join their runs (those not waiting for company), advances every run by one token, and
    /// answers the texts whose searches are done. Returns the hypothesis rows the step computed (inert rows included)
    /// and the searches it advanced.
    /// </summary>
    public (int Rows, int Texts) Step()
    {
        translator.Threads?.ApplyToCurrentThread();
        translator.Model.Eval();
        using var inference = torch.inference_mode();
        JoinWaiting();

        var runs = _runs.ToList();
        int rows = runs.Sum(r => r.Value.Rows), texts = runs.Sum(r => r.Value.Alive);
        foreach (var ((key, run), done) in runs.Zip(Advance([.. runs.Select(r => r.Value)])))
        {
            foreach (var sentence in done)
            {
                var entry = _searching[sentence];
                _searching.Remove(sentence);
                Texts--;
                SourceTokens -= entry.Text.PaddedLength;
                entry.Leave(translator);
            }
            DisposeIfDone(key, run);
        }
        _steps++;
        translator.Threads?.Tick();
        return (rows, texts);
    }

    /// <summary>
    /// Advances every run by one token in one decoder step: the products that do not read the source run once over
    /// every run's rows (a single call per step costs less than one per run), attention per run. Returns, per run, the
    /// sentences that are done.
    /// </summary>
    private List<BeamSentence>[] Advance(BeamRun[] runs)
    {
        if (runs.Length <= 1) return [.. runs.Select(r => r.Advance())];
        using var scope = torch.NewDisposeScope();
        int members = translator.Model.Members.Count;
        var previous = torch.cat([.. runs.Select(r => r.Previous)]);
        var states = Enumerable.Range(0, members).Select(m => DecoderState.Concat(runs.Select(r => r.States[m]))).ToArray();
        var memories = Enumerable.Range(0, members).Select(m => (IReadOnlyList<EncoderMemory>)[.. runs.Select(r => r.Memories[m])]).ToArray();
        var (logProbs, next, attention) = translator.Model.Step(previous, states, memories);
        var done = new List<BeamSentence>[runs.Length];
        long first = 0;
        for (int i = 0; i < runs.Length; i++)
        {
            long rows = runs[i].Rows;
            done[i] = runs[i].Advance(logProbs.narrow(0, first, rows), [.. next.Select(s => s.Narrow(first, rows))], attention[i]);
            first += rows;
        }
        return done;
    }

    /// <summary>
    /// Lets every waiting text join its run, all encoded in one call at the widest of their widths (a text's encoding
    /// is cut back to its own width), when one of them must join now: it starts a run, or has waited
    /// maxJoinWaitSteps, or <see cref="BeamSearch.MinimumRows"/> searches are waiting. Otherwise they wait for company.
    /// </summary>
    private void JoinWaiting()
    {
        if (_joining.Count == 0) return;
        var groups = _joining.ToList();
        int waiting = groups.Sum(g => g.Value.Sum(e => e.Sentences.Length));
        bool due = waiting >= BeamSearch.MinimumRows
            || groups.Any(g => !_runs.ContainsKey(g.Key) || _steps - g.Value.Min(e => e.AddedAt) >= maxJoinWaitSteps);
        if (!due) return;
        using var scope = torch.NewDisposeScope();
        var sources = groups.SelectMany(g => g.Value.SelectMany(e => e.Sentences.Select(_ => e.Text.Ids))).ToList();
        using var batch = Batch.Create(sources, null, translator.Device, minimumSourceLength: groups.Max(g => g.Key.Width));
        var (memories, states) = BeamRun.Encode(translator.Model, batch);
        long first = 0;
        foreach (var (key, entries) in groups)
        {
            var sentences = entries.SelectMany(e => e.Sentences).ToList();
            var rows = torch.arange(first, first + sentences.Count, device: translator.Device);
            first += sentences.Count;
            if (!_runs.TryGetValue(key, out var run)) _runs[key] = run = new BeamRun(translator.Model, entries[0].Options, translator.Device, key.Width);
            run.JoinEncoded([.. memories.Select(m => m.Select(rows).Narrow(key.Width))], [.. states.Select(s => s.Select(rows))], sentences);
            foreach (var entry in entries)
                foreach (var sentence in entry.Sentences) _searching[sentence] = entry;
        }
        _joining.Clear();
    }

    /// <summary>Drops every text without answering it (after a failed step, whose runs cannot be trusted).</summary>
    public void Clear()
    {
        foreach (var run in _runs.Values) run.Dispose();
        _runs.Clear();
        _joining.Clear();
        _searching.Clear();
        Texts = 0;
        SourceTokens = 0;
    }

    public void Dispose() => Clear();
}
