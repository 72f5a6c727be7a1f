using Seq2Seq.Model;
using static TorchSharp.torch;

namespace Seq2Seq.Inference;

/// <summary>
/// One or more models that decode as one: at every step each member predicts from its own encoder memory and
/// decoder state, and the ensemble's log-probabilities are the weighted average of the members'
/// (log-linear interpolation, as in Marian), its attention the weighted average of theirs. Search and forced
/// decoding both go through here, so the score of an ensemble translation is the ensemble's own log-probability.
/// Members must share their vocabularies; a single model converts implicitly and decodes exactly as itself.
/// </summary>
internal sealed class Ensemble
{
    private readonly float[] _weights;

    /// <summary>Refuses weights that are not one positive number per member (null = equal weights, always fine).</summary>
    /// <exception cref="IO.InputException">The weights do not fit.</exception>
    public static void CheckWeights(IReadOnlyList<double>? weights, int members)
    {
        if (weights is null) return;
        if (weights.Count != members)
            throw new IO.InputException($"{weights.Count} ensemble weight{(weights.Count == 1 ? "" : "s")} for {members} models: give one weight per model");
        if (weights.Any(w => !double.IsFinite(w) || w <= 0)) throw new IO.InputException("ensemble weights must be positive numbers");
    }

    /// <param name="weights">Relative weights (normalised to sum to 1); null = equal.</param>
    public Ensemble(IReadOnlyList<Seq2SeqModel> members, IReadOnlyList<double>? weights = null)
    {
        if (members.Count == 0) throw new ArgumentException("an ensemble needs at least one model", nameof(members));
        CheckWeights(weights, members.Count);
        var vocabularies = members.Select(m => (m.Config.SourceVocabularySize, m.Config.TargetVocabularySize)).Distinct().ToList();
        if (vocabularies.Count > 1)
            throw new ArgumentException($"ensemble members have different vocabulary sizes ({string.Join(", ", vocabularies)}); they must share their vocabularies");
        Members = members;
        double total = weights?.Sum() ?? members.Count;
        _weights = members.Select((_, i) => (float)((weights?[i] ?? 1.0) / total)).ToArray();
    }

    public static implicit operator Ensemble(Seq2SeqModel model) => new([model]);

    public IReadOnlyList<Seq2SeqModel> Members { get; }

    /// <summary>Normalised weights, one per member.</summary>
    public IReadOnlyList<float> Weights => _weights;

    /// <summary>Puts every member in evaluation mode (no dropout).</summary>
    public void Eval()
    {
        foreach (var member in Members) member.eval();
    }

    /// <summary>Encodes the batch once per member.</summary>
    public (EncoderMemory[] Memories, DecoderState[] States) Encode(Tensor source, Tensor lengths)
    {
        var encoded = Members.Select(m => m.Encode(source, lengths)).ToArray();
        return (encoded.Select(e => e.Memory).ToArray(), encoded.Select(e => e.State).ToArray());
    }

    /// <summary>One search step of every member: combined log-probabilities (rows, vocab), next states, combined attention (rows, srcLen).</summary>
    public (Tensor LogProbs, DecoderState[] States, Tensor Attention) Step(Tensor previous, DecoderState[] states, EncoderMemory[] memories)
    {
        var (logProbs, next, attention) = Step(previous, states, [.. memories.Select(m => new[] { m })]);
        return (logProbs, next, attention[0]);
    }

    /// <summary>
    /// One search step of every member for several searches at once: <paramref name="memories"/> holds per member
    /// the memory of each search, whose rows follow each other in <paramref name="previous"/> and the states (see
    /// <see cref="Decoder.Step(Tensor, DecoderState, IReadOnlyList{EncoderMemory})"/>). Returns the combined
    /// log-probabilities, next states, and per search its combined attention.
    /// </summary>
    public (Tensor LogProbs, DecoderState[] States, Tensor[] Attention) Step(Tensor previous, DecoderState[] states, IReadOnlyList<EncoderMemory>[] memories)
    {
        if (Members.Count == 1)
        {
            var (logProbs, state, attention) = Members[0].Decoder.Step(previous, states[0], memories[0]);
            return (logProbs, [state], attention);
        }
        using var scope = NewDisposeScope();
        var steps = Members.Select((m, i) => m.Decoder.Step(previous, states[i], memories[i])).ToArray();
        var combined = Combine(steps.Select(s => s.LogProbs).ToArray());
        var weights = memories[0].Select((_, run) => Combine(steps.Select(s => s.Attention[run]).ToArray()).MoveToOuterDisposeScope()).ToArray();
        var next = steps.Select(s => s.State.MoveToOuterDisposeScope()).ToArray();
        return (combined.MoveToOuterDisposeScope(), next, weights);
    }

    /// <summary>Teacher-forced pass of every member: combined log-probabilities (batch, tgtLen, vocab) and attention (batch, tgtLen, srcLen), in float32.</summary>
    public (Tensor LogProbs, Tensor Attention) Force(Tensor source, Tensor lengths, Tensor previousTargets)
    {
        using var scope = NewDisposeScope();
        var passes = Members.Select(m => m.forward(source, lengths, previousTargets)).ToArray();
        // Scores are computed in single precision whatever precision the models run in.
        var logProbs = Combine(passes.Select(p => p.Logits.to(float32).log_softmax(-1)).ToArray());
        var attention = Combine(passes.Select(p => p.Attention.to(float32)).ToArray());
        return (logProbs.MoveToOuterDisposeScope(), attention.MoveToOuterDisposeScope());
    }

    /// <summary>The weighted sum of the members' tensors (the tensor itself for one member).</summary>
    private Tensor Combine(Tensor[] values)
    {
        if (values.Length == 1) return values[0].alias();
        var sum = values[0] * _weights[0];
        for (int i = 1; i < values.Length; i++) sum.add_(values[i] * _weights[i]);
        return sum;
    }
}
