using Seq2Seq.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Inference;

/// <summary>
/// Batched beam search; greedy decoding is the same code with beam size 1. All sentences and beams advance
/// together as rows of one tensor (a <see cref="BeamRun"/>). A hypothesis that emits EOS (or reaches the length limit) is set aside
/// and its beam slot refilled from the remaining candidates. A sentence is done when it has a beam's worth
/// of finished hypotheses, or when no live hypothesis can still outrank its n-th best finished one; done
/// sentences leave the batch so later steps only compute what is still needed.
/// <para>
/// The results do not depend on which other sentences share the batch: CPU matrix products take another code
/// path, with other rounding, for rows past the last full block of small products (seen up to 11 rows), so a search never runs on fewer than
/// <see cref="MinimumRows"/>. Small batches get filler copies of their first sentence and done sentences stay
/// on as inert rows (all scores −∞, never collected) while needed to keep that many. Sentences may also join a
/// search that is already running (<see cref="BeamRun.Join"/>, <see cref="ContinuousSearch"/>): each counts its own
/// steps, so it gets the same hypotheses as here.
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
    /// <param name="threads">
    /// If given, ticked after every decoder step: a batch searched at two contended threads can take seconds, and
    /// the rest of it is worth running at one.
    /// </param>
    public static List<Hypothesis>[] Search(Ensemble model, Batch batch, SearchOptions options, List<int>? decodedRows = null,
        IReadOnlyList<int[]>? prefixes = null, IReadOnlyList<int[]?>? nextAllowed = null, Runtime.ThreadGovernor? threads = null)
    {
        options.Validate();
        if (prefixes is not null && prefixes.Count != batch.Size)
            throw new ArgumentException($"{prefixes.Count} prefixes for {batch.Size} sentences", nameof(prefixes));
        model.Eval();
        using var inference = torch.inference_mode();
        long[] lengths = batch.SourceLengths.data<long>().ToArray();
        var sentences = lengths.Select((length, i) => new BeamSentence((int)length, prefixes?[i], nextAllowed?[i])).ToArray();
        using var run = new BeamRun(model, options, batch.Source.device, batch.Source.shape[1]);
        run.Join(batch, sentences);
        while (run.Alive > 0)
        {
            decodedRows?.Add(run.Rows);
            run.Advance();
            threads?.Tick();
        }
        return [.. sentences.Select(s => s.Best(options.NBest))];
    }
}
