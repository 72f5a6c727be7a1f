using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Seq2Seq.Model;

/// <summary>
/// Attention decoder. In Bahdanau order (<c>Model:Decoder=bahdanau</c>) at step t the previous state s_{t-1} attends
/// over the source and the LSTM cell reads [embed(y_{t-1}); c_t]; the conditional decoder (<c>conditional</c>, see
/// <see cref="ConditionalCell"/>) first reads the word, attends with that state, then reads the context. Either way
/// the output layer reads [s_t; c_t; embed(y_{t-1})] through a tanh pre-output layer before the vocabulary projection.
/// </summary>
internal sealed class Decoder : Module
{
    private readonly Embedding embedding;
    private readonly SeededDropout embeddingDropout;
    private readonly SeededDropout preOutputDropout;
    private readonly Linear bridge;
    private readonly AdditiveAttention attention;
    private readonly DecoderCell? cell;
    private readonly ConditionalCell? conditional;
    private readonly Linear preOutput;
    private readonly Linear output;

    public Decoder(ModelConfig config, DropoutSeed seed) : base(nameof(Decoder))
    {
        embedding = Embedding(config.TargetVocabularySize, config.EmbeddingSize, padding_idx: Text.SpecialTokens.PadId);
        embeddingDropout = new SeededDropout(config.EmbeddingDropout ?? config.Dropout, seed);
        preOutputDropout = new SeededDropout(config.PreOutputDropout ?? config.Dropout, seed);
        bridge = Linear(config.EncoderOutputSize, config.DecoderHiddenSize);
        attention = new AdditiveAttention(config.EncoderOutputSize, config.DecoderHiddenSize, config.AttentionSize);
        if (config.Decoder == ModelConfig.ConditionalDecoder)
            conditional = new ConditionalCell(config.EmbeddingSize, config.EncoderOutputSize, config.DecoderHiddenSize);
        else
            cell = new DecoderCell(config.EmbeddingSize, config.EncoderOutputSize, config.DecoderHiddenSize);
        preOutput = Linear(config.DecoderHiddenSize + config.EncoderOutputSize + config.EmbeddingSize, config.EffectivePreOutputSize);
        output = Linear(config.EffectivePreOutputSize, config.TargetVocabularySize);
        if (config.TieOutputEmbedding)
        {
            // Shared with the output layer, N(0, 1) embeddings would give logits with a standard deviation
            // near √EmbeddingSize and a first loss far above ln(vocabulary); scale them like output weights.
            using (no_grad())
            {
                init.normal_(embedding.weight!, 0, 1 / Math.Sqrt(config.EmbeddingSize));
                embedding.weight![Text.SpecialTokens.PadId].zero_();
            }
            output.weight = embedding.weight!;
        }
        RegisterComponents();
    }

    /// <summary>Prepares attention keys and the initial state from the encoder's output.</summary>
    public (EncoderMemory Memory, DecoderState State) Start(Tensor states, Tensor final, Tensor padding)
    {
        using var scope = NewDisposeScope();
        var memory = new EncoderMemory(states.alias(), attention.ProjectKeys(states), padding.alias());
        var initial = bridge.call(final).tanh_();
        return (memory.MoveToOuterDisposeScope(), new DecoderState(initial, initial.clone()).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Teacher-forced decoding of a whole batch. Everything that does not depend on the recurrence runs
    /// outside the loop as one large product: the embedding part of the gates before it, the pre-output
    /// and vocabulary projection after it. Inside, one product of the previous state serves both the
    /// attention query and the cell's hidden gates.
    /// </summary>
    /// <param name="previous">(batch, tgtLen) inputs: BOS followed by the gold target shifted right.</param>
    /// <returns>Logits (batch, tgtLen, vocab) and attention weights (batch, tgtLen, srcLen).</returns>
    public (Tensor Logits, Tensor Attention) forward(Tensor previous, EncoderMemory memory, DecoderState start)
    {
        using var scope = NewDisposeScope();
        var embedded = embeddingDropout.call(embedding.call(previous));
        var fromEmbedding = cell?.EmbeddingGates(embedded) ?? conditional!.EmbeddingGates(embedded);
        // The state that queries attention also feeds a transition's hidden gates: one product serves both.
        var hiddenWeight = cell?.HiddenWeight ?? conditional!.SecondHiddenWeight;
        var stateWeights = cat([hiddenWeight, attention.QueryWeight], 0).t();
        int gateWidth = (int)hiddenWeight.shape[0];
        long steps = previous.shape[1];
        var hiddens = new Tensor[steps];
        var contexts = new Tensor[steps];
        var weights = new Tensor[steps];
        Tensor hidden = start.Hidden, cellState = start.Cell;
        for (int t = 0; t < steps; t++)
        {
            if (cell is not null)
            {
                var fromState = hidden.matmul(stateWeights);
                (contexts[t], weights[t]) = attention.call(fromState[.., gateWidth..], memory);
                (hidden, cellState) = cell.forward(fromEmbedding[.., t], fromState[.., ..gateWidth], contexts[t], cellState);
            }
            else
            {
                var (intermediate, intermediateCell) = conditional!.First(fromEmbedding[.., t], hidden, cellState);
                var fromIntermediate = intermediate.matmul(stateWeights);
                (contexts[t], weights[t]) = attention.call(fromIntermediate[.., gateWidth..], memory);
                (hidden, cellState) = conditional.Second(contexts[t], fromIntermediate[.., ..gateWidth], intermediateCell);
            }
            hiddens[t] = hidden;
        }
        var logits = Project(stack(hiddens, 1), stack(contexts, 1), embedded);
        return (logits.MoveToOuterDisposeScope(), stack(weights, 1).MoveToOuterDisposeScope());
    }

    /// <summary>One decoding step for search: returns log-probabilities (batch, vocab), the next state and the attention weights.</summary>
    public (Tensor LogProbs, DecoderState State, Tensor Attention) Step(Tensor previous, DecoderState state, EncoderMemory memory)
    {
        var (logProbs, next, weights) = Step(previous, state, [memory]);
        return (logProbs, next, weights[0]);
    }

    /// <summary>
    /// One decoding step for several searches at once (each over its own source width): the rows of
    /// <paramref name="previous"/> and <paramref name="state"/> are those of each memory in turn. Every product
    /// that does not read the source runs once over all rows; attention runs per memory. Returns
    /// log-probabilities (rows, vocab), the next state and, per memory, its rows' attention weights.
    /// </summary>
    public (Tensor LogProbs, DecoderState State, Tensor[] Attention) Step(Tensor previous, DecoderState state, IReadOnlyList<EncoderMemory> memories)
    {
        using var scope = NewDisposeScope();
        var embedded = embeddingDropout.call(embedding.call(previous));
        Tensor context, hidden, cellState;
        Tensor[] weights;
        if (cell is not null)
        {
            (context, weights) = Attend(attention.ProjectQuery(state.Hidden), memories);
            (hidden, cellState) = cell.forward(cell.EmbeddingGates(embedded), cell.HiddenGates(state.Hidden), context, state.Cell);
        }
        else
        {
            var (intermediate, intermediateCell) = conditional!.First(conditional.EmbeddingGates(embedded), state.Hidden, state.Cell);
            (context, weights) = Attend(attention.ProjectQuery(intermediate), memories);
            (hidden, cellState) = conditional.Second(context, intermediate.matmul(conditional.SecondHiddenWeight.t()), intermediateCell);
        }
        // Search sums log-probabilities over many steps: keep them (and the attention it records) in single
        // precision even when the model runs in bf16/fp16.
        var logProbs = Project(hidden, context, embedded).to(float32).log_softmax(-1);
        return (logProbs.MoveToOuterDisposeScope(), new DecoderState(hidden, cellState).MoveToOuterDisposeScope(),
            [.. weights.Select(w => w.to(float32).MoveToOuterDisposeScope())]);
    }

    /// <summary>Attention of each memory's rows of the projected query over that memory; the contexts in row order.</summary>
    private (Tensor Context, Tensor[] Weights) Attend(Tensor projectedQuery, IReadOnlyList<EncoderMemory> memories)
    {
        if (memories.Count == 1)
        {
            var (context, weights) = attention.call(projectedQuery, memories[0]);
            return (context, [weights]);
        }
        var contexts = new Tensor[memories.Count];
        var allWeights = new Tensor[memories.Count];
        long first = 0;
        for (int i = 0; i < memories.Count; i++)
        {
            long rows = memories[i].States.shape[0];
            (contexts[i], allWeights[i]) = attention.call(projectedQuery.narrow(0, first, rows), memories[i]);
            first += rows;
        }
        return (cat(contexts), allWeights);
    }

    private Tensor Project(Tensor hidden, Tensor context, Tensor embedded) =>
        output.call(preOutputDropout.call(preOutput.call(cat([hidden, context, embedded], -1)).tanh_()));
}
