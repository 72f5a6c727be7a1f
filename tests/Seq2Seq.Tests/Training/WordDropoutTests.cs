using Seq2Seq.Text;
using Seq2Seq.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Training;

public class WordDropoutTests
{
    /// <summary>1,000 rows of BOS, 30 ordinary tokens, EOS and two pads.</summary>
    private static Tensor Tokens()
    {
        var ids = new long[1000 * 34];
        for (int r = 0; r < 1000; r++)
        {
            ids[r * 34] = SpecialTokens.BosId;
            for (int i = 1; i <= 30; i++) ids[r * 34 + i] = 4 + (r * 7 + i) % 500;
            ids[r * 34 + 31] = SpecialTokens.EosId;
        }
        return tensor(ids, [1000, 34]);
    }

    private static bool Same(Tensor a, Tensor b) => a.eq(b).all().item<bool>();

    [Fact]
    public void Rate_zero_changes_nothing()
    {
        using var tokens = Tokens();
        using var dropped = WordDropout.Apply(tokens, 0, seed: 1, step: 1, stream: 0);
        Assert.True(Same(dropped, tokens));
    }

    [Fact]
    public void Only_ordinary_tokens_become_unk_at_about_the_rate()
    {
        using var tokens = Tokens();
        using var dropped = WordDropout.Apply(tokens, 0.2, seed: 1, step: 7, stream: 0);
        var before = tokens.data<long>().ToArray();
        var after = dropped.data<long>().ToArray();
        int ordinary = 0, replaced = 0;
        for (int i = 0; i < before.Length; i++)
        {
            if (before[i] <= SpecialTokens.EosId) { Assert.Equal(before[i], after[i]); continue; }
            ordinary++;
            if (after[i] != before[i]) { Assert.Equal(SpecialTokens.UnknownId, after[i]); replaced++; }
        }
        Assert.InRange(replaced / (double)ordinary, 0.19, 0.21);   // 30,000 draws: σ ≈ 0.0023
    }

    [Fact]
    public void Masks_depend_on_seed_step_and_stream_only()
    {
        using var tokens = Tokens();
        Tensor Drop(int seed, long step, int stream) => WordDropout.Apply(tokens, 0.3, seed, step, stream);
        using var a = Drop(1, 5, 0);
        using var again = Drop(1, 5, 0);
        using var otherStep = Drop(1, 6, 0);
        using var otherStream = Drop(1, 5, 1);
        using var otherSeed = Drop(2, 5, 0);
        Assert.True(Same(a, again));
        Assert.False(Same(a, otherStep));
        Assert.False(Same(a, otherStream));
        Assert.False(Same(a, otherSeed));
    }
}

/// <summary>Word dropout as the training step applies it: inputs replaced, the loss targets untouched.</summary>
[Collection(Support.GlobalRandomCollection.Name)]
public class WordDropoutInTrainingTests
{
    private static (double Nll, double Expected, double Plain) Step(double sourceRate, double targetRate)
    {
        using var model = Support.TinyModels.Create(seed: 3);
        var sources = Support.TinyModels.RandomSequences(6, 3, 8, 24, seed: 1);
        var targets = Support.TinyModels.RandomSequences(6, 3, 8, 24, seed: 2);
        using var batch = Seq2Seq.Data.Batch.Create(sources, targets, CPU);
        // The reference: every ordinary input token replaced by UNK by hand (rate 1), the targets as they are.
        double Nll(Tensor source, Tensor targetInput)
        {
            using var scope = NewDisposeScope();
            model.train();
            model.DropoutSeed.Reset(1, 1);
            var (logits, _) = model.forward(source, batch.SourceLengths, targetInput);
            return SequenceLoss.Compute(logits, batch.TargetOutput!, 0).Nll.item<float>();
        }
        using var allUnkSource = batch.Source.masked_fill(batch.Source.gt(SpecialTokens.EosId), SpecialTokens.UnknownId);
        using var allUnkTarget = batch.TargetInput!.masked_fill(batch.TargetInput!.gt(SpecialTokens.EosId), SpecialTokens.UnknownId);
        double expected = Nll(sourceRate > 0 ? allUnkSource : batch.Source, targetRate > 0 ? allUnkTarget : batch.TargetInput!);
        double plain = Nll(batch.Source, batch.TargetInput!);
        using var optimizer = TrainingStep.CreateOptimizer(model, 0, 0);
        var step = new TrainingStep(model, optimizer, labelSmoothing: 0, clipNorm: 1, seed: 1)
        {
            SourceWordDropout = sourceRate,
            TargetWordDropout = targetRate,
        };
        return (step.Run(batch, learningRate: 0, step: 1).Nll, expected, plain);
    }

    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 1.0)]
    public void The_training_step_replaces_inputs_and_never_the_loss_targets(double sourceRate, double targetRate)
    {
        var (nll, expected, plain) = Step(sourceRate, targetRate);
        Assert.Equal(expected, nll, 4);
        Assert.NotEqual(plain, nll, 3);
    }
}
