using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Seq2Seq.Model;

/// <summary>The whole translation model: <see cref="Encoder"/> followed by the attention <see cref="Decoder"/>.</summary>
/// <remarks>
/// In every module of this folder the names of the fields that hold submodules and parameters are the keys of the
/// saved weights (<c>RegisterComponents</c> names them after the fields: <c>encoder.embedding.weight</c>, ...).
/// Renaming such a field makes every saved checkpoint unloadable.
/// </remarks>
internal sealed class Seq2SeqModel : Module
{
    private readonly Encoder encoder;
    private readonly Decoder decoder;

    public Seq2SeqModel(ModelConfig config) : base(nameof(Seq2SeqModel))
    {
        config.Validate();
        Config = config.Clone();
        encoder = new Encoder(config, DropoutSeed);
        decoder = new Decoder(config, DropoutSeed);
        RegisterComponents();
    }

    public ModelConfig Config { get; }

    /// <summary>Source of the dropout masks; the trainer reseeds it before every step.</summary>
    public DropoutSeed DropoutSeed { get; } = new();

    public Decoder Decoder => decoder;

    /// <summary>Encodes a padded source batch and prepares the decoder's memory and initial state.</summary>
    /// <param name="source">(batch, srcLen) ids.</param>
    /// <param name="lengths">(batch) int64 lengths on the CPU.</param>
    public (EncoderMemory Memory, DecoderState State) Encode(Tensor source, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        var (states, final) = encoder.call(source, lengths);
        var padding = source.eq(Text.SpecialTokens.PadId);
        var (memory, state) = decoder.Start(states, final, padding);
        memory.MoveToOuterDisposeScope();
        state.MoveToOuterDisposeScope();
        return (memory, state);
    }

    /// <summary>Teacher-forced forward pass: logits (batch, tgtLen, vocab) and attention (batch, tgtLen, srcLen).</summary>
    public (Tensor Logits, Tensor Attention) forward(Tensor source, Tensor lengths, Tensor previousTargets)
    {
        using var scope = NewDisposeScope();
        var (memory, state) = Encode(source, lengths);
        var (logits, attention) = decoder.forward(previousTargets, memory, state);
        return (logits.MoveToOuterDisposeScope(), attention.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Each trainable tensor once. The tied output matrix is the target embedding under a second name, and
    /// TorchSharp lists it with a handle of its own: listed twice, Adam would step it twice per update and
    /// clipping would count its gradient twice.
    /// </summary>
    public IEnumerable<TorchSharp.Modules.Parameter> TrainableParameters() =>
        named_parameters().Where(p => !(Config.TieOutputEmbedding && p.name == TiedOutputWeight)).Select(p => p.parameter);

    private const string TiedOutputWeight = "decoder.output.weight";

    /// <summary>Number of trainable parameters (a tied matrix counted once).</summary>
    public long ParameterCount() => TrainableParameters().Sum(p => p.numel());
}
