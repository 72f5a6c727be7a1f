using Seq2Seq.Data;
using TorchSharp;

namespace Seq2Seq.Inference;

/// <summary>
/// Iteration-level batching: texts join a running search at a step boundary and leave it as soon as their
/// search is done, each answered at once, instead of a batch running until its longest sentence ends.
/// <para>
/// There is one <see cref="BeamRun"/> per source-length bucket and set of search options, because a translation
/// must not depend on what shares its batch: sentences of one bucket are padded to one width (products over the
/// source round differently for other widths), and every run keeps at least <see cref="BeamSearch.MinimumRows"/>
/// rows. Each <see cref="Step"/> encodes the texts added since the last one into their runs, then advances every
/// run by one token. A text's answer is byte for byte what <see cref="Translator.Translate"/> gives.
/// </para>
/// <para>
/// Encoding costs about as much for one text as for <see cref="BeamSearch.MinimumRows"/> of them (the encoder never
/// runs on fewer rows), close to a whole step of a running batch; so a text that would join a running search may
/// wait up to <paramref name="maxJoinWaitSteps"/> steps for others to be encoded with it. A text that starts a
/// search, or finds MinimumRows texts waiting with it, joins at once.
/// </para>
/// Not thread-safe: one thread adds texts and steps (it owns the model while it does).
/// </summary>
internal sealed class ContinuousSearch(Translator translator, int maxJoinWaitSteps = 0) : IDisposable
{
    /// <summary>What a text's run depends on: its padded source length and every option that changes what search returns.</summary>
    private readonly record struct RunKey(int Width, int Beam, int NBest, double LengthPenalty, double MaxLengthRatio, int MaxLengthOffset)
    {
        public static RunKey Of(SourceText text, SearchOptions options) =>
            new(text.PaddedLength, options.BeamSize, options.NBest, options.LengthPenalty, options.MaxLengthRatio, options.MaxLengthOffset);
    }

    private sealed record Entry(SourceText Text, SearchOptions Options, Action<Translation> Done, long AddedAt);

    private readonly Dictionary<RunKey, BeamRun> _runs = [];
    private readonly Dictionary<RunKey, List<Entry>> _joining = [];
    private readonly Dictionary<BeamSentence, Entry> _searching = [];
    private long _steps;

    /// <summary>Texts being searched or waiting to join.</summary>
    public int Texts { get; private set; }

    /// <summary>The padded source positions of those texts (what attention over the source costs per step).</summary>
    public int SourceTokens { get; private set; }

    /// <summary>True when nothing is being searched or waiting to join.</summary>
    public bool Idle => Texts == 0;

    /// <summary>Tokenizes a text and its prefix (null or "" for none), cut to the model's source length limit.</summary>
    public SourceText Prepare(string text, string? prefix = null) => translator.Prepare(text, prefix);

    /// <summary>
    /// Queues <paramref name="text"/> to join at a coming <see cref="Step"/>; <paramref name="done"/> receives its
    /// translation when its search is done (at once for an empty text).
    /// </summary>
    public void Add(SourceText text, SearchOptions options, Action<Translation> done)
    {
        options.Validate();
        if (text.Ids.Length == 0)
        {
            done(translator.Finish(text, []));
            return;
        }
        var key = RunKey.Of(text, options);
        if (!_joining.TryGetValue(key, out var joining)) _joining[key] = joining = [];
        joining.Add(new Entry(text, options, done, _steps));
        Texts++;
        SourceTokens += text.PaddedLength;
    }

    /// <summary>
    /// Lets the waiting texts join their runs (those not waiting for company), advances every run by one token, and
    /// answers the texts whose search is done. Returns the hypothesis rows the step computed (inert rows included) and the texts it searched.
    /// </summary>
    public (int Rows, int Texts) Step()
    {
        translator.Threads?.ApplyToCurrentThread();
        translator.Model.Eval();
        using var inference = torch.inference_mode();
        foreach (var (key, entries) in _joining.ToList())
        {
            bool running = _runs.TryGetValue(key, out var run);
            if (running && entries.Count < BeamSearch.MinimumRows && _steps - entries[0].AddedAt < maxJoinWaitSteps) continue;
            if (run is null) _runs[key] = run = new BeamRun(translator.Model, entries[0].Options, translator.Device, key.Width);
            using var batch = Batch.Create([.. entries.Select(e => e.Text.Ids)], null, translator.Device, minimumSourceLength: key.Width);
            var sentences = entries.Select(e => e.Text.ToSentence()).ToList();
            run.Join(batch, sentences);
            for (int i = 0; i < entries.Count; i++) _searching[sentences[i]] = entries[i];
            _joining.Remove(key);
        }

        int rows = 0, texts = 0;
        foreach (var (key, run) in _runs.ToList())
        {
            rows += run.Rows;
            texts += run.Alive;
            foreach (var sentence in run.Advance())
            {
                var entry = _searching[sentence];
                _searching.Remove(sentence);
                Texts--;
                SourceTokens -= entry.Text.PaddedLength;
                entry.Done(translator.Finish(entry.Text, sentence.Best(entry.Options.NBest)));
            }
            if (run.Alive == 0)
            {
                run.Dispose();
                _runs.Remove(key);
            }
        }
        _steps++;
        translator.Threads?.Tick();
        return (rows, texts);
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
