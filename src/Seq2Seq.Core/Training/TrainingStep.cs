using Seq2Seq.Data;
using Seq2Seq.Model;
using Seq2Seq.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Training;

/// <summary>The outcome of one update: summed NLL of the batch, its target tokens, the gradient norm before clipping.</summary>
internal readonly record struct StepResult(double Nll, int Tokens, double GradientNorm, bool Applied);

/// <summary>
/// One optimisation step with teacher forcing: forward pass, token-level loss, backward pass, global
/// gradient-norm clipping and the Adam update. A batch whose loss or gradient is not finite changes nothing
/// (<see cref="StepResult.Applied"/> is false). Shared by the trainer and the benchmarks.
/// </summary>
internal sealed class TrainingStep(Seq2SeqModel model, Adam optimizer, double labelSmoothing, double clipNorm, int seed)
{
    private readonly Parameter[] _parameters = model.TrainableParameters().ToArray();

    /// <summary>Probability of replacing each source token by UNK (<see cref="WordDropout"/>).</summary>
    public double SourceWordDropout { get; init; }

    /// <summary>Probability of replacing each decoder input token (not BOS, not the loss targets) by UNK.</summary>
    public double TargetWordDropout { get; init; }

    /// <summary>
    /// The thread count to follow, ticked after the forward pass and after the update: a step at two contended
    /// threads can take seconds, and the backward pass is worth starting at one.
    /// </summary>
    public ThreadGovernor? Threads { get; init; }

    /// <summary>Test hook: makes the loss of the given updates NaN, as a numeric blow-up would.</summary>
    internal Func<long, bool>? NonFiniteLossAt { get; init; }

    /// <summary>Creates Adam over the model's parameters (each tied matrix once).</summary>
    public static Adam CreateOptimizer(Seq2SeqModel model, double learningRate, double weightDecay) =>
        optim.Adam(model.TrainableParameters(), learningRate, weight_decay: weightDecay);

    /// <summary>Runs update number <paramref name="step"/> (which also selects its dropout masks).</summary>
    public StepResult Run(Batch batch, double learningRate, long step)
    {
        model.train();
        model.DropoutSeed.Reset(seed, step);
        using var scope = NewDisposeScope();
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
        optimizer.zero_grad();
        var source = WordDropout.Apply(batch.Source, SourceWordDropout, seed, step, stream: 0);
        var targetInput = WordDropout.Apply(batch.TargetInput!, TargetWordDropout, seed, step, stream: 1);
        var (logits, _) = model.forward(source, batch.SourceLengths, targetInput);
        var (loss, nll) = SequenceLoss.Compute(logits, batch.TargetOutput!, labelSmoothing);
        if (NonFiniteLossAt?.Invoke(step) == true) (loss, nll) = (loss * double.NaN, nll * double.NaN);
        Threads?.Tick();
        (loss / batch.TargetTokens).backward();
        double norm = clipNorm > 0 ? nn.utils.clip_grad_norm_(_parameters, clipNorm) : 0;
        double nllValue = nll.item<float>();
        bool applied = double.IsFinite(nllValue) && double.IsFinite(norm);
        if (applied) optimizer.step();
        else optimizer.zero_grad();
        Threads?.Tick();
        return new StepResult(nllValue, batch.TargetTokens, norm, applied);
    }
}
