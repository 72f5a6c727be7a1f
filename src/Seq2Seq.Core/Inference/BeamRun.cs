using Seq2Seq.Data;
using Seq2Seq.Model;
using Seq2Seq.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Inference;

/// <summary>
/// The tensors and bookkeeping of a beam search over sentences of one padded source width and one set of search
/// options. Every row is a hypothesis, every block of <c>beam</c> rows a sentence, or an inert block (all scores
/// −∞, never collected) that keeps the run at <see cref="BeamSearch.MinimumRows"/> rows. Sentences join between
/// steps (<see cref="Join"/>) and leave as soon as they are done (<see cref="Advance()"/> returns them), so a service
/// can keep one run going while requests come and go; a file search joins all its sentences at once.
/// <para>
/// Each sentence counts its own steps from when it joined (its hypotheses' lengths, its length limit, its prefix).
/// The token, log-probability and attention histories are as long as the oldest live sentence's; a sentence that
/// joined later has padding before its own columns, which are the last ones. The run owns its long-lived tensors, outside every dispose
/// scope: dispose the run.
/// </para>
/// </summary>
internal sealed class BeamRun : IDisposable
{
    private readonly Ensemble _model;
    private readonly SearchOptions _options;
    private readonly int _beam;
    private readonly Device _device;
    private readonly long _sourceWidth;
    private List<BeamSentence?> _blocks = [];   // the sentence of each block of beam rows; null for inert blocks
    private EncoderMemory[]? _memory;           // one per ensemble member; null until the first sentences join
    private DecoderState[]? _state;
    private Tensor _scores;                     // (rows) running log-probabilities
    private Tensor _previous;                   // (rows) last token of each row
    private Tensor _tokens, _logProbs, _attention; // histories: (rows, t), (rows, t), (rows, t, sourceWidth)
    private readonly Tensor _neverOutput;       // padding and the start token

    /// <param name="sourceWidth">The padded source length of every sentence that will join.</param>
    public BeamRun(Ensemble model, SearchOptions options, Device device, long sourceWidth)
    {
        options.Validate();
        _model = model;
        _options = options;
        _beam = options.BeamSize;
        _device = device;
        _sourceWidth = sourceWidth;
        _scores = empty(0, dtype: float32, device: device).DetachFromDisposeScope();
        _previous = empty(0, dtype: int64, device: device).DetachFromDisposeScope();
        _tokens = empty(0, 0, dtype: int64, device: device).DetachFromDisposeScope();
        _logProbs = empty(0, 0, dtype: float32, device: device).DetachFromDisposeScope();
        _attention = empty(0, 0, sourceWidth, dtype: float32, device: device).DetachFromDisposeScope();
        _neverOutput = tensor(new long[] { SpecialTokens.PadId, SpecialTokens.BosId }, device: device).DetachFromDisposeScope();
    }

    /// <summary>Sentences still being searched.</summary>
    public int Alive => _blocks.Count(b => b is not null);

    /// <summary>Hypothesis rows the next step runs on (inert rows included).</summary>
    public int Rows => _blocks.Count * _beam;

    /// <summary>The fewest blocks that make <see cref="BeamSearch.MinimumRows"/> rows.</summary>
    private int MinimumBlocks => (BeamSearch.MinimumRows + _beam - 1) / _beam;

    /// <summary>
    /// Encodes the rows of <paramref name="batch"/> once per ensemble member, as a search needs them: on at least
    /// <see cref="BeamSearch.MinimumRows"/> rows (filler copies of the first sentence, dropped from the result), so a
    /// sentence's encoding never depends on how many others share the call. The caller disposes the result.
    /// </summary>
    public static (EncoderMemory[] Memories, DecoderState[] States) Encode(Ensemble model, Batch batch)
    {
        using var scope = NewDisposeScope();
        long real = batch.Size;
        var padded = tensor(Enumerable.Range(0, (int)Math.Max(real, BeamSearch.MinimumRows)).Select(i => i < real ? (long)i : 0L).ToArray());
        var (memories, states) = model.Encode(batch.Source.index_select(0, padded.to(batch.Source.device)), batch.SourceLengths.index_select(0, padded));
        if (real < BeamSearch.MinimumRows)
        {
            var rows = arange(real, device: batch.Source.device);
            (memories, states) = ([.. memories.Select(m => m.Select(rows))], [.. states.Select(s => s.Select(rows))]);
        }
        foreach (var memory in memories) memory.MoveToOuterDisposeScope();
        foreach (var state in states) state.MoveToOuterDisposeScope();
        return (memories, states);
    }

    /// <summary>
    /// Encodes <paramref name="sentences"/> (the rows of <paramref name="batch"/>, padded to this run's width) and
    /// adds them to the run: their first step is the run's next step.
    /// </summary>
    public void Join(Batch batch, IReadOnlyList<BeamSentence> sentences)
    {
        if (batch.Size != sentences.Count) throw new ArgumentException($"{sentences.Count} sentences for a batch of {batch.Size}", nameof(sentences));
        if (sentences.Count == 0) return;
        using var scope = NewDisposeScope();
        var (memories, states) = Encode(_model, batch);
        JoinEncoded(memories, states, sentences);
    }

    /// <summary>
    /// Adds <paramref name="sentences"/>, already encoded (<see cref="Encode"/>: one row per sentence, per ensemble
    /// member, at this run's width), to the run: their first step is the run's next step.
    /// </summary>
    public void JoinEncoded(EncoderMemory[] memories, DecoderState[] states, IReadOnlyList<BeamSentence> sentences)
    {
        int real = sentences.Count;
        if (memories.Any(m => m.States.shape[0] != real) || states.Any(s => s.Hidden.shape[0] != real))
            throw new ArgumentException($"{real} sentences for encodings of {memories[0].States.shape[0]} rows", nameof(sentences));
        if (memories.Any(m => m.States.shape[1] != _sourceWidth))
            throw new ArgumentException($"an encoding of width {memories[0].States.shape[1]} cannot join a run of width {_sourceWidth}", nameof(memories));
        if (real == 0) return;
        using var scope = NewDisposeScope();
        // Inert blocks the run needs to keep MinimumRows rows: copies of the first sentence, never collected.
        int fillers = Math.Max(0, MinimumBlocks - _blocks.Count - real);
        var expand = tensor(Enumerable.Range(0, real + fillers).Select(i => i < real ? (long)i : 0L).ToArray(), device: _device).repeat_interleave(_beam);
        int rows = (real + fillers) * _beam;
        // Only the first beam of a sentence is live at its start, so its first step does not pick the same
        // continuation K times.
        var initial = new float[rows];
        for (int i = 0; i < rows; i++) initial[i] = i % _beam == 0 && i / _beam < real ? 0f : float.NegativeInfinity;
        long width = _tokens.shape[1];

        var joiningMemory = memories.Select(m => m.Select(expand)).ToArray();
        var joiningState = states.Select(s => s.Select(expand)).ToArray();
        Replace(ref _memory, _memory is null ? joiningMemory : [.. _memory.Zip(joiningMemory, EncoderMemory.Concat)]);
        Replace(ref _state, _state is null ? joiningState : [.. _state.Zip(joiningState, DecoderState.Concat)]);
        Replace(ref _scores, cat([_scores, tensor(initial, device: _device)]));
        Replace(ref _previous, cat([_previous, full(rows, SpecialTokens.BosId, dtype: int64, device: _device)]));
        Replace(ref _tokens, cat([_tokens, zeros(rows, width, dtype: int64, device: _device)]));
        Replace(ref _logProbs, cat([_logProbs, zeros(rows, width, dtype: float32, device: _device)]));
        Replace(ref _attention, cat([_attention, zeros(rows, width, _sourceWidth, dtype: float32, device: _device)]));
        foreach (var sentence in sentences) sentence.Steps = 0;
        _blocks.AddRange(sentences);
        _blocks.AddRange(Enumerable.Repeat<BeamSentence?>(null, fillers));

        // Inert blocks the joining sentences make unnecessary leave.
        var keep = BlocksToKeep([.. _blocks.Select(b => b is null)]);
        if (keep.Count < _blocks.Count) Compact(keep);
    }

    /// <summary>The last token of each row: what the next step reads, with <see cref="States"/> and <see cref="Memories"/>.</summary>
    public Tensor Previous => _previous;

    /// <summary>The decoder state of each row, one per ensemble member.</summary>
    public DecoderState[] States => _state ?? throw new InvalidOperationException("no sentence has joined the run");

    /// <summary>The encoder memory of each row, one per ensemble member.</summary>
    public EncoderMemory[] Memories => _memory ?? throw new InvalidOperationException("no sentence has joined the run");

    /// <summary>Extends every live hypothesis by one token, retires what finished, and returns the sentences that are done.</summary>
    public List<BeamSentence> Advance()
    {
        using var scope = NewDisposeScope();
        var (logProbs, state, attention) = _model.Step(_previous, States, Memories);
        return Advance(logProbs, state, attention);
    }

    /// <summary>
    /// <see cref="Advance()"/> from a step already computed for this run's rows (together with other runs' rows:
    /// <see cref="Ensemble.Step(Tensor, DecoderState[], IReadOnlyList{EncoderMemory}[])"/>): log-probabilities
    /// (rows, vocab), next states and attention (rows, width).
    /// </summary>
    public List<BeamSentence> Advance(Tensor logProbs, DecoderState[] state, Tensor attention)
    {
        using var scope = NewDisposeScope();
        int live = _blocks.Count;
        // Padding and the start token are never output (an undertrained model may rank them high); not
        // renormalised, so forced decoding of a result gives back its log-probability.
        logProbs = logProbs.index_fill(1, _neverOutput, float.NegativeInfinity);
        long vocabulary = logProbs.shape[1];
        if (_blocks.Any(s => s is not null && s.Allowed(s.Steps) is not null)) logProbs = ForcePrefixes(logProbs);
        var candidates = (_scores.unsqueeze(1) + logProbs).view(live, _beam * vocabulary);
        var (topScores, topIndices) = candidates.topk(_beam, dim: 1);
        var origin = topIndices.div(vocabulary, rounding_mode: RoundingMode.floor);
        var tokens = topIndices.remainder(vocabulary).view(-1);
        var rows = (arange(live, device: origin.device).unsqueeze(1) * _beam + origin).view(-1);
        var tokenLogProbs = logProbs.index_select(0, rows).gather(1, tokens.unsqueeze(1)).squeeze(1);

        // Columns from before the oldest live sentence joined are nobody's history any more.
        long drop = _tokens.shape[1] - _blocks.Where(s => s is not null).Select(s => s!.Steps).DefaultIfEmpty(0).Max();
        Replace(ref _tokens, Extend(_tokens, drop, rows, tokens.unsqueeze(1)));
        Replace(ref _logProbs, Extend(_logProbs, drop, rows, tokenLogProbs.unsqueeze(1)));
        Replace(ref _attention, Extend(_attention, drop, rows, attention.index_select(0, rows).unsqueeze(1)));
        Replace(ref _state, [.. state.Select(s => s.Select(rows))]);
        foreach (var sentence in _blocks) if (sentence is not null) sentence.Steps++;

        // One small host transfer per step: the scores and tokens decide what finishes.
        float[] scores = topScores.view(-1).cpu().data<float>().ToArray();
        long[] chosen = tokens.cpu().data<long>().ToArray();
        var retire = new List<int>();
        for (int b = 0; b < live; b++)
        {
            if (_blocks[b] is not { } sentence) continue;
            int limit = Limit(sentence);
            for (int k = 0; k < _beam; k++)
            {
                int row = b * _beam + k;
                if (float.IsNegativeInfinity(scores[row])) continue;
                if (chosen[row] == SpecialTokens.EosId || sentence.Steps >= limit)
                {
                    retire.Add(row);
                    scores[row] = float.NegativeInfinity;
                }
            }
        }
        Collect(retire);
        var done = new bool[live];
        var leaving = new List<BeamSentence>();
        for (int b = 0; b < live; b++)
        {
            done[b] = _blocks[b] is not { } sentence || IsDone(sentence, b, scores);
            if (done[b] && _blocks[b] is { } finished) leaving.Add(finished);
        }
        var keep = BlocksToKeep(done);
        foreach (int b in keep.Where(b => done[b]))
        {
            _blocks[b] = null;
            for (int k = 0; k < _beam; k++) scores[b * _beam + k] = float.NegativeInfinity;
        }

        Replace(ref _scores, tensor(scores, device: _device));
        Replace(ref _previous, tokens.alias());
        if (keep.Count < live) Compact(keep);
        return leaving;
    }

    /// <summary>
    /// Takes <paramref name="sentences"/> out of the run between steps, unfinished (nobody wants their results any
    /// more). Their rows leave as a done sentence's do: blocks still needed for <see cref="BeamSearch.MinimumRows"/>
    /// stay on, inert, so the other sentences are searched exactly as before.
    /// </summary>
    public void Remove(IReadOnlySet<BeamSentence> sentences)
    {
        var removed = _blocks.Select(b => b is not null && sentences.Contains(b)).ToArray();
        if (!removed.Contains(true)) return;
        using var scope = NewDisposeScope();
        var keep = BlocksToKeep([.. _blocks.Select((b, i) => b is null || removed[i])]);
        var inert = keep.Where(b => removed[b]).ToList();
        if (inert.Count > 0)
        {
            foreach (int b in inert) _blocks[b] = null;
            var rows = tensor(inert.SelectMany(b => Enumerable.Range(b * _beam, _beam).Select(r => (long)r)).ToArray(), device: _device);
            Replace(ref _scores, _scores.index_fill(0, rows, float.NegativeInfinity));
        }
        if (keep.Count < _blocks.Count) Compact(keep);
    }

    /// <summary>A history without its first <paramref name="drop"/> columns, its rows reordered, and a new column.</summary>
    private static Tensor Extend(Tensor history, long drop, Tensor rows, Tensor column)
    {
        var kept = drop > 0 ? history.narrow(1, drop, history.shape[1] - drop) : history;
        return cat([kept.index_select(0, rows), column], 1);
    }

    /// <summary>The length limit of a sentence's hypotheses: from its source length, and past its prefix.</summary>
    private int Limit(BeamSentence sentence) =>
        Math.Max(_options.MaxLength(sentence.SourceLength), sentence.Prefix.Length + 1);

    /// <summary>
    /// Rows of sentences still inside their prefix may only take the prefix's next token, and at the step right
    /// after it only the allowed next tokens (log-probabilities kept, every other token −∞); the others are untouched.
    /// </summary>
    private Tensor ForcePrefixes(Tensor logProbs)
    {
        var allowed = new List<(long Row, long Token)>();
        var constrained = new List<long>();
        for (int b = 0; b < _blocks.Count; b++)
        {
            if (_blocks[b] is not { } sentence || sentence.Allowed(sentence.Steps) is not { } tokens) continue;
            for (int k = 0; k < _beam; k++)
            {
                constrained.Add(b * _beam + k);
                allowed.AddRange(tokens.Select(t => ((long)(b * _beam + k), (long)t)));
            }
        }
        using var rows = tensor(constrained.ToArray(), device: logProbs.device);
        using var allowedRows = tensor(allowed.Select(a => a.Row).ToArray(), device: logProbs.device);
        using var allowedTokens = tensor(allowed.Select(a => a.Token).ToArray(), device: logProbs.device);
        var values = logProbs[allowedRows, allowedTokens];
        return logProbs.index_fill(0, rows, float.NegativeInfinity).index_put_(values, allowedRows, allowedTokens);
    }

    /// <summary>The blocks that still search, topped up with done ones (made inert) to <see cref="BeamSearch.MinimumRows"/> rows.</summary>
    private List<int> BlocksToKeep(bool[] done)
    {
        var keep = Enumerable.Range(0, done.Length).Where(b => !done[b]).ToList();
        if (keep.Count == 0) return keep;
        foreach (int b in Enumerable.Range(0, done.Length).Where(b => done[b]))
        {
            if (keep.Count * _beam >= BeamSearch.MinimumRows) break;
            keep.Add(b);
        }
        keep.Sort();
        return keep;
    }

    private bool IsDone(BeamSentence sentence, int block, float[] scores)
    {
        var finished = sentence.Finished;
        int limit = Limit(sentence);
        if (finished.Count >= _beam || sentence.Steps >= limit) return true;
        float bestLive = float.NegativeInfinity;
        for (int k = 0; k < _beam; k++) bestLive = Math.Max(bestLive, scores[block * _beam + k]);
        if (float.IsNegativeInfinity(bestLive)) return true;
        if (finished.Count < _options.NBest) return false;
        // A live hypothesis's log-probability only falls as it grows; with a length penalty its score is at
        // most its current log-probability divided by the penalty at the length limit.
        double bound = _options.LengthPenalty == 0 ? bestLive : _options.Normalize(bestLive, limit);
        double nthBest = finished.Select(h => h.Score).OrderDescending().ElementAt(_options.NBest - 1);
        return nthBest >= bound;
    }

    /// <summary>Copies the retired rows' histories (each from its sentence's first step) to the host as finished hypotheses.</summary>
    private void Collect(List<int> rows)
    {
        if (rows.Count == 0) return;
        using var index = tensor(rows.Select(r => (long)r).ToArray(), device: _device);
        using var tokenRows = _tokens.index_select(0, index);
        using var logProbRows = _logProbs.index_select(0, index);
        using var attentionRows = _attention.index_select(0, index);
        long[] tokens = tokenRows.cpu().data<long>().ToArray();
        float[] logProbs = logProbRows.cpu().data<float>().ToArray();
        float[] attention = attentionRows.cpu().data<float>().ToArray();
        long width = _tokens.shape[1];
        for (int i = 0; i < rows.Count; i++)
        {
            var sentence = _blocks[rows[i] / _beam]!;
            int length = sentence.Steps;
            long first = width - length;
            var hypothesisTokens = new int[length];
            var hypothesisLogProbs = new float[length];
            var weights = new float[length, sentence.SourceLength];
            double total = 0;
            for (int t = 0; t < length; t++)
            {
                long cell = (long)i * width + first + t;
                hypothesisTokens[t] = (int)tokens[cell];
                hypothesisLogProbs[t] = logProbs[cell];
                total += hypothesisLogProbs[t];
                for (int s = 0; s < sentence.SourceLength; s++)
                    weights[t, s] = attention[cell * _sourceWidth + s];
            }
            sentence.Finished.Add(new Hypothesis(hypothesisTokens, hypothesisLogProbs, total, _options.Normalize(total, length), weights));
        }
    }

    /// <summary>Keeps only the rows of the given blocks in every tensor.</summary>
    private void Compact(List<int> blocks)
    {
        using var scope = NewDisposeScope();
        var keep = tensor(blocks.SelectMany(b => Enumerable.Range(b * _beam, _beam).Select(r => (long)r)).ToArray(), dtype: int64, device: _device);
        _blocks = [.. blocks.Select(b => _blocks[b])];
        Replace(ref _memory, [.. _memory!.Select(m => m.Select(keep))]);
        Replace(ref _state, [.. _state!.Select(s => s.Select(keep))]);
        Replace(ref _scores, _scores.index_select(0, keep));
        Replace(ref _previous, _previous.index_select(0, keep));
        Replace(ref _tokens, _tokens.index_select(0, keep));
        Replace(ref _logProbs, _logProbs.index_select(0, keep));
        Replace(ref _attention, _attention.index_select(0, keep));
    }

    // Long-lived tensors leave the step's dispose scope; the value they replace is freed at once.
    private static void Replace(ref Tensor slot, Tensor value)
    {
        value.DetachFromDisposeScope();
        slot.Dispose();
        slot = value;
    }

    private static void Replace(ref DecoderState[]? slot, DecoderState[] value)
    {
        foreach (var state in value) state.DetachFromDisposeScope();
        foreach (var state in slot ?? []) state.Dispose();
        slot = value;
    }

    private static void Replace(ref EncoderMemory[]? slot, EncoderMemory[] value)
    {
        foreach (var memory in value) memory.DetachFromDisposeScope();
        foreach (var memory in slot ?? []) memory.Dispose();
        slot = value;
    }

    public void Dispose()
    {
        foreach (var memory in _memory ?? []) memory.Dispose();
        foreach (var state in _state ?? []) state.Dispose();
        _memory = null;
        _state = null;
        _scores.Dispose();
        _previous.Dispose();
        _tokens.Dispose();
        _logProbs.Dispose();
        _attention.Dispose();
        _neverOutput.Dispose();
    }
}
