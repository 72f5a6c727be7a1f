using Seq2Seq.Data;
using Seq2Seq.Model;
using Seq2Seq.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Inference;

/// <summary>
/// Batched beam search; greedy decoding is the same code with beam size 1. All sentences and beams advance
/// together as rows of one tensor. A hypothesis that emits EOS (or reaches the length limit) is set aside
/// and its beam slot refilled from the remaining candidates. A sentence is done when it has a beam's worth
/// of finished hypotheses, or when no live hypothesis can still outrank its n-th best finished one; done
/// sentences leave the batch so later steps only compute what is still needed.
/// <para>
/// The results do not depend on which other sentences share the batch: CPU matrix products take another code
/// path, with other rounding, for rows past the last full block of small products (seen up to 11 rows), so a search never runs on fewer than
/// <see cref="MinimumRows"/>. Small batches get filler copies of their first sentence and done sentences stay
/// on as inert rows (all scores −∞, never collected) while needed to keep that many.
/// </para>
/// </summary>
internal static class BeamSearch
{
    /// <summary>The fewest rows any product in a search runs on.</summary>
    public const int MinimumRows = 16;

    /// <summary>Translates a batch; returns, per sentence, the n-best hypotheses, best first.</summary>
    /// <param name="decodedRows">If given, receives the number of hypothesis rows each decoder step ran on (for FLOP counts).</param>
    /// <param name="prefixes">
    /// If given, per sentence the target tokens every hypothesis must start with (empty: none): the decoder is
    /// forced through them, keeping their log-probabilities, and the search is free after them.
    /// </param>
    /// <param name="nextAllowed">
    /// If given, per sentence the tokens the step right after its prefix may choose from (null: any), e.g. the
    /// pieces that extend a word the person has begun to type.
    /// </param>
    public static List<Hypothesis>[] Search(Ensemble model, Batch batch, SearchOptions options, List<int>? decodedRows = null,
        IReadOnlyList<int[]>? prefixes = null, IReadOnlyList<int[]?>? nextAllowed = null)
    {
        options.Validate();
        if (prefixes is not null && prefixes.Count != batch.Size)
            throw new ArgumentException($"{prefixes.Count} prefixes for {batch.Size} sentences", nameof(prefixes));
        model.Eval();
        using var inference = torch.inference_mode();
        using var scope = NewDisposeScope();
        var run = new BeamRun(model, batch, options, prefixes, nextAllowed);
        while (run.Alive > 0)
        {
            decodedRows?.Add(run.Rows);
            run.Advance();
        }
        return run.Results();
    }

    /// <summary>The tensors and bookkeeping of one search.</summary>
    private sealed class BeamRun
    {
        private readonly Ensemble _model;
        private readonly SearchOptions _options;
        private readonly int _beam;
        private readonly long[] _sourceLengths;
        private readonly List<Hypothesis>[] _finished;
        private readonly IReadOnlyList<int[]>? _prefixes;
        private readonly IReadOnlyList<int[]?>? _nextAllowed;
        private readonly int _lastConstrainedStep;   // after it, no row is constrained: the steps skip the check
        private List<int> _blocks;           // sentence index of each block of beam rows; Inert for filler rows
        private EncoderMemory[] _memory;     // one per ensemble member
        private DecoderState[] _state;
        private Tensor _scores;              // (live·beam) running log-probabilities
        private Tensor _previous;            // (live·beam) last token of each row
        private Tensor _tokens, _logProbs, _attention; // per-row history: (rows, t), (rows, t), (rows, t, srcLen)
        private int _step;
        private readonly Tensor _neverOutput;

        public BeamRun(Ensemble model, Batch batch, SearchOptions options, IReadOnlyList<int[]>? prefixes, IReadOnlyList<int[]?>? nextAllowed)
        {
            _model = model;
            _nextAllowed = nextAllowed is not null && nextAllowed.Any(a => a is not null) ? nextAllowed : null;
            _prefixes = (prefixes is not null && prefixes.Any(p => p.Length > 0)) || _nextAllowed is not null
                ? prefixes ?? [.. Enumerable.Range(0, (int)batch.Size).Select(_ => Array.Empty<int>())]
                : null;
            _lastConstrainedStep = _prefixes?.Max(p => p.Length) ?? -1;
            _options = options;
            _beam = options.BeamSize;
            int real = (int)batch.Size;
            int sentences = Math.Max(real, MinimumRows);
            _finished = Enumerable.Range(0, real).Select(_ => new List<Hypothesis>()).ToArray();
            _blocks = Enumerable.Range(0, sentences).Select(i => i < real ? i : Inert).ToList();
            var device = batch.Source.device;

            using var padded = sentences > real ? cat([arange(real), zeros(sentences - real, dtype: int64)]) : arange(real);
            using var source = batch.Source.index_select(0, padded.to(device));
            using var sourceLengths = batch.SourceLengths.index_select(0, padded);
            _sourceLengths = sourceLengths.data<long>().ToArray();
            var (memory, state) = model.Encode(source, sourceLengths);
            using var expand = arange(sentences, device: device).repeat_interleave(_beam);
            _memory = memory.Select(m => m.Select(expand)).ToArray();
            _state = state.Select(s => s.Select(expand)).ToArray();
            foreach (var m in memory) m.Dispose();
            foreach (var s in state) s.Dispose();

            // Only the first beam of each sentence is live at the start, so the first step does not pick
            // the same continuation K times.
            var initial = new float[sentences * _beam];
            for (int i = 0; i < initial.Length; i++) initial[i] = i % _beam == 0 && i / _beam < real ? 0f : float.NegativeInfinity;
            _scores = tensor(initial, device: device);
            _previous = full(sentences * _beam, SpecialTokens.BosId, dtype: int64, device: device);
            _neverOutput = tensor(new long[] { SpecialTokens.PadId, SpecialTokens.BosId }, device: device);
            _tokens = empty(sentences * _beam, 0, dtype: int64, device: device);
            _logProbs = empty(sentences * _beam, 0, dtype: float32, device: device);
            _attention = empty(sentences * _beam, 0, batch.Source.shape[1], dtype: float32, device: device);
        }

        private const int Inert = -1;

        /// <summary>Sentences still being searched.</summary>
        public int Alive => _blocks.Count(b => b != Inert);

        /// <summary>Hypothesis rows the next step runs on.</summary>
        public int Rows => _blocks.Count * _beam;

        public List<Hypothesis>[] Results() =>
            _finished.Select(list => list.OrderByDescending(h => h.Score).Take(_options.NBest).ToList()).ToArray();

        /// <summary>Extends every live hypothesis by one token and retires what finished.</summary>
        public void Advance()
        {
            using var scope = NewDisposeScope();
            int live = _blocks.Count;
            var (logProbs, state, attention) = _model.Step(_previous, _state, _memory);
            // Padding and the start token are never output (an undertrained model may rank them high); not
            // renormalised, so forced decoding of a result gives back its log-probability.
            logProbs = logProbs.index_fill(1, _neverOutput, float.NegativeInfinity);
            long vocabulary = logProbs.shape[1];
            if (_prefixes is not null && _step <= _lastConstrainedStep) logProbs = ForcePrefixes(logProbs);
            var candidates = (_scores.unsqueeze(1) + logProbs).view(live, _beam * vocabulary);
            var (topScores, topIndices) = candidates.topk(_beam, dim: 1);
            var origin = topIndices.div(vocabulary, rounding_mode: RoundingMode.floor);
            var tokens = topIndices.remainder(vocabulary).view(-1);
            var rows = (arange(live, device: origin.device).unsqueeze(1) * _beam + origin).view(-1);
            var tokenLogProbs = logProbs.index_select(0, rows).gather(1, tokens.unsqueeze(1)).squeeze(1);

            Replace(ref _tokens, cat([_tokens.index_select(0, rows), tokens.unsqueeze(1)], 1));
            Replace(ref _logProbs, cat([_logProbs.index_select(0, rows), tokenLogProbs.unsqueeze(1)], 1));
            Replace(ref _attention, cat([_attention.index_select(0, rows), attention.index_select(0, rows).unsqueeze(1)], 1));
            Replace(ref _state, state.Select(s => s.Select(rows)).ToArray());
            _step++;

            // One small host transfer per step: the scores and tokens decide what finishes.
            float[] scores = topScores.view(-1).cpu().data<float>().ToArray();
            long[] chosen = tokens.cpu().data<long>().ToArray();
            var retire = new List<int>();
            var done = new bool[live];
            for (int b = 0; b < live; b++)
            {
                if (_blocks[b] == Inert) continue;
                int limit = Limit(_blocks[b]);
                for (int k = 0; k < _beam; k++)
                {
                    int row = b * _beam + k;
                    if (float.IsNegativeInfinity(scores[row])) continue;
                    if (chosen[row] == SpecialTokens.EosId || _step >= limit)
                    {
                        retire.Add(row);
                        scores[row] = float.NegativeInfinity;
                    }
                }
            }
            Collect(retire);
            for (int b = 0; b < live; b++)
                done[b] = _blocks[b] == Inert || IsDone(b, scores);
            var keep = BlocksToKeep(done);
            foreach (int b in keep.Where(b => done[b]))
            {
                _blocks[b] = Inert;
                for (int k = 0; k < _beam; k++) scores[b * _beam + k] = float.NegativeInfinity;
            }

            Replace(ref _scores, tensor(scores, device: _scores.device));
            Replace(ref _previous, tokens.alias());
            if (keep.Count < live) Compact(keep);
        }

        /// <summary>The length limit of a sentence's hypotheses: from its source length, and past its prefix.</summary>
        private int Limit(int sentence) =>
            Math.Max(_options.MaxLength((int)_sourceLengths[sentence]), (_prefixes?[sentence].Length ?? 0) + 1);

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
                if (_blocks[b] == Inert) continue;
                int sentence = _blocks[b];
                int[] prefix = _prefixes![sentence];
                int[]? tokens = _step < prefix.Length ? [prefix[_step]] : _step == prefix.Length ? _nextAllowed?[sentence] : null;
                if (tokens is null) continue;
                for (int k = 0; k < _beam; k++)
                {
                    constrained.Add(b * _beam + k);
                    allowed.AddRange(tokens.Select(t => ((long)(b * _beam + k), (long)t)));
                }
            }
            if (constrained.Count == 0) return logProbs;
            using var rows = tensor(constrained.ToArray(), device: logProbs.device);
            using var allowedRows = tensor(allowed.Select(a => a.Row).ToArray(), device: logProbs.device);
            using var allowedTokens = tensor(allowed.Select(a => a.Token).ToArray(), device: logProbs.device);
            var values = logProbs[allowedRows, allowedTokens];
            return logProbs.index_fill(0, rows, float.NegativeInfinity).index_put_(values, allowedRows, allowedTokens);
        }

        /// <summary>The blocks that still search, topped up with done ones (made inert) to <see cref="MinimumRows"/> rows.</summary>
        private List<int> BlocksToKeep(bool[] done)
        {
            var keep = Enumerable.Range(0, done.Length).Where(b => !done[b]).ToList();
            if (keep.Count == 0) return keep;
            foreach (int b in Enumerable.Range(0, done.Length).Where(b => done[b]))
            {
                if (keep.Count * _beam >= MinimumRows) break;
                keep.Add(b);
            }
            keep.Sort();
            return keep;
        }

        private bool IsDone(int block, float[] scores)
        {
            int sentence = _blocks[block];
            var finished = _finished[sentence];
            if (finished.Count >= _beam || _step >= Limit(sentence)) return true;
            float bestLive = float.NegativeInfinity;
            for (int k = 0; k < _beam; k++) bestLive = Math.Max(bestLive, scores[block * _beam + k]);
            if (float.IsNegativeInfinity(bestLive)) return true;
            if (finished.Count < _options.NBest) return false;
            // A live hypothesis's log-probability only falls as it grows; with a length penalty its score is at
            // most its current log-probability divided by the penalty at the length limit.
            int limit = Limit(sentence);
            double bound = _options.LengthPenalty == 0 ? bestLive : _options.Normalize(bestLive, limit);
            double nthBest = finished.Select(h => h.Score).OrderDescending().ElementAt(_options.NBest - 1);
            return nthBest >= bound;
        }

        /// <summary>Copies the retired rows' histories to the host as finished hypotheses.</summary>
        private void Collect(List<int> rows)
        {
            if (rows.Count == 0) return;
            using var index = tensor(rows.Select(r => (long)r).ToArray(), device: _tokens.device);
            long[] tokens = _tokens.index_select(0, index).cpu().data<long>().ToArray();
            float[] logProbs = _logProbs.index_select(0, index).cpu().data<float>().ToArray();
            float[] attention = _attention.index_select(0, index).cpu().data<float>().ToArray();
            long sourceWidth = _attention.shape[2];
            for (int i = 0; i < rows.Count; i++)
            {
                int sentence = _blocks[rows[i] / _beam];
                int sourceLength = (int)_sourceLengths[sentence];
                var hypothesisTokens = new int[_step];
                var hypothesisLogProbs = new float[_step];
                var weights = new float[_step, sourceLength];
                double total = 0;
                for (int t = 0; t < _step; t++)
                {
                    hypothesisTokens[t] = (int)tokens[i * _step + t];
                    hypothesisLogProbs[t] = logProbs[i * _step + t];
                    total += hypothesisLogProbs[t];
                    for (int s = 0; s < sourceLength; s++)
                        weights[t, s] = attention[(i * _step + t) * sourceWidth + s];
                }
                _finished[sentence].Add(new Hypothesis(hypothesisTokens, hypothesisLogProbs, total,
                    _options.Normalize(total, _step), weights));
            }
        }

        /// <summary>Keeps only the rows of the given blocks in every tensor.</summary>
        private void Compact(List<int> blocks)
        {
            var keepRows = blocks.SelectMany(b => Enumerable.Range(b * _beam, _beam).Select(r => (long)r)).ToArray();
            _blocks = blocks.Select(b => _blocks[b]).ToList();
            if (keepRows.Length == 0) return;
            using var keep = tensor(keepRows, device: _scores.device);
            Replace(ref _memory, _memory.Select(m => m.Select(keep)).ToArray());
            Replace(ref _state, _state.Select(s => s.Select(keep)).ToArray());
            Replace(ref _scores, _scores.index_select(0, keep));
            Replace(ref _previous, _previous.index_select(0, keep));
            Replace(ref _tokens, _tokens.index_select(0, keep));
            Replace(ref _logProbs, _logProbs.index_select(0, keep));
            Replace(ref _attention, _attention.index_select(0, keep));
        }

        // Long-lived tensors outlive each step's dispose scope; the value they replace is freed at once.
        private static void Replace(ref Tensor slot, Tensor value)
        {
            value.MoveToOuterDisposeScope();
            slot.Dispose();
            slot = value;
        }

        private static void Replace(ref DecoderState[] slot, DecoderState[] value)
        {
            foreach (var state in value) state.MoveToOuterDisposeScope();
            foreach (var state in slot) state.Dispose();
            slot = value;
        }

        private static void Replace(ref EncoderMemory[] slot, EncoderMemory[] value)
        {
            foreach (var memory in value) memory.MoveToOuterDisposeScope();
            foreach (var memory in slot) memory.Dispose();
            slot = value;
        }
    }
}
