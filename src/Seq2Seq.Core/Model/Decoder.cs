using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Seq2Seq.Model;

/// <summary>
/// Attention decoder in Bahdanau order: at step t the previous state s_{t-1} attends over the source,
/// the LSTM cell reads [embed(y_{t-1}); c_t], and the output layer reads [s_t; c_t; embed(y_{t-1})]
/// through a tanh pre-output layer before the vocabulary projection.
/// </summary>
internal sealed class Decoder : Module
{
    private readonly Embedding embedding;
    private readonly SeededDropout dropout;
    private readonly Linear bridge;
    private readonly AdditiveAttention attention;
    private readonly DecoderCell cell;
    private readonly Linear preOutput;
    private readonly Linear output;

    public Decoder(ModelConfig config, DropoutSeed seed) : base(nameof(Decoder))
    {
        embedding = Embedding(config.TargetVocabularySize, config.EmbeddingSize, padding_idx: Text.SpecialTokens.PadId);
        dropout = new SeededDropout(config.Dropout, seed);
        bridge = Linear(config.EncoderOutputSize, config.DecoderHiddenSize);
        attention = new AdditiveAttention(config.EncoderOutputSize, config.DecoderHiddenSize, config.AttentionSize);
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
        var embedded = dropout.call(embedding.call(previous));
        var fromEmbedding = cell.EmbeddingGates(embedded);
        var stateWeights = cat([cell.HiddenWeight, attention.QueryWeight], 0).t();
        long gateWidth = cell.HiddenWeight.shape[0];
        long steps = previous.shape[1];
        var hiddens = new Tensor[steps];
        var contexts = new Tensor[steps];
        var weights = new Tensor[steps];
        Tensor hidden = start.Hidden, cellState = start.Cell;
        for (int t = 0; t < steps; t++)
        {
            var fromState = hidden.matmul(stateWeights);
            (contexts[t], weights[t]) = attention.call(fromState[.., (int)gateWidth..], memory);
            (hidden, cellState) = cell.forward(fromEmbedding[.., t], fromState[.., ..(int)gateWidth], contexts[t], cellState);
            hiddens[t] = hidden;
        }
        var logits = Project(stack(hiddens, 1), stack(contexts, 1), embedded);
        return (logits.MoveToOuterDisposeScope(), stack(weights, 1).MoveToOuterDisposeScope());
    }

    /// <summary>One decoding step for search: returns log-probabilities (batch, vocab), the next state and the attention weights.</summary>
    public (Tensor LogProbs, DecoderState State, Tensor Attention) Step(Tensor previous, DecoderState state, EncoderMemory memory)
    {
        using var scope = NewDisposeScope();
        var embedded = dropout.call(embedding.call(previous));
        var (context, weights) = attention.call(attention.ProjectQuery(state.Hidden), memory);
        var (hidden, cellState) = cell.forward(cell.EmbeddingGates(embedded), cell.HiddenGates(state.Hidden), context, state.Cell);
        // Search sums log-probabilities over many steps: keep them (and the attention it records) in single
        // precision even when the model runs in bf16/fp16.
        var logProbs = Project(hidden, context, embedded).to(float32).log_softmax(-1);
        return (logProbs.MoveToOuterDisposeScope(), new DecoderState(hidden, cellState).MoveToOuterDisposeScope(),
            weights.to(float32).MoveToOuterDisposeScope());
    }

    private Tensor Project(Tensor hidden, Tensor context, Tensor embedded) =>
        output.call(dropout.call(preOutput.call(cat([hidden, context, embedded], -1)).tanh_()));
}
