using Seq2Seq.Data;
using Seq2Seq.Model;
using Seq2Seq.Tests.Support;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Model;

/// <summary>Dropout set by place (embeddings, encoder states, pre-output) instead of one value for all three.</summary>
public class DropoutByPlaceTests
{
    private static (Tensor States, Tensor Logits) TrainingPass(ModelConfig config)
    {
        var model = TinyModels.Create(seed: 5, config);
        using var batch = Batch.Create([[5, 6, 7, 8], [9, 10]], [[11, 12, 13], [14]], CPU);
        using var noGrad = no_grad();
        model.train();
        model.DropoutSeed.Reset(1, 1);
        var (memory, _) = model.Encode(batch.Source, batch.SourceLengths);
        model.DropoutSeed.Reset(1, 1);
        var (logits, _) = model.forward(batch.Source, batch.SourceLengths, batch.TargetInput!);
        return (memory.States, logits);
    }

    private static bool Same(Tensor a, Tensor b) => a.allclose(b, rtol: 0, atol: 0);

    private static ModelConfig Config(double all, double? embedding, double? states, double? preOutput)
    {
        var config = TinyModels.Config(dropout: all);
        config.EmbeddingDropout = embedding;
        config.EncoderStateDropout = states;
        config.PreOutputDropout = preOutput;
        return config;
    }

    [Fact]
    public void Each_place_takes_its_own_probability_and_unset_places_take_the_common_one()
    {
        var none = TrainingPass(Config(0.0, null, null, null));
        // Every place set to 0 overrides a common 0.9: no dropout anywhere.
        var overridden = TrainingPass(Config(0.9, 0.0, 0.0, 0.0));
        Assert.True(Same(overridden.States, none.States));
        Assert.True(Same(overridden.Logits, none.Logits));

        // Only the pre-output layer drops: the encoder is untouched, the logits are not.
        var preOutput = TrainingPass(Config(0.0, null, null, 0.5));
        Assert.True(Same(preOutput.States, none.States));
        Assert.False(preOutput.Logits.allclose(none.Logits));

        // Only the encoder states drop: about half of them are zero (inverted dropout doubles the rest).
        var states = TrainingPass(Config(0.0, 0.0, 0.5, 0.0));
        var real = none.States.ne(0);
        double zeroed = (states.States.eq(0) & real).sum().item<long>() / (double)real.sum().item<long>();
        Assert.InRange(zeroed, 0.35, 0.65);
        var kept = states.States.ne(0);
        Assert.True(states.States.masked_select(kept).allclose(2 * none.States.masked_select(kept), rtol: 1e-5, atol: 1e-6));

        // Unset places follow the common value: the same masks as setting each place to it.
        var common = TrainingPass(Config(0.3, null, null, null));
        var explicitly = TrainingPass(Config(0.0, 0.3, 0.3, 0.3));
        Assert.True(Same(common.Logits, explicitly.Logits));
    }

    [Fact]
    public void A_place_out_of_range_is_refused()
    {
        var config = Config(0.3, null, 0.99, null);
        config.SourceVocabularySize = config.TargetVocabularySize = 24;
        Assert.Contains("EncoderStateDropout", Assert.Throws<ArgumentException>(config.Validate).Message);
    }
}
