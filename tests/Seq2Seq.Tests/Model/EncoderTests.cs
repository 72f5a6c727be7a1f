using Seq2Seq.Model;
using Seq2Seq.Data;
using Seq2Seq.Tests.Support;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Model;

public class EncoderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Padding_does_not_change_the_states_of_real_tokens(bool layerNorm)
    {
        var config = TinyModels.Config();
        config.EncoderLayerNorm = layerNorm;
        using var model = TinyModels.Create(config: config);
        int[] shortSentence = [5, 9, 12], longSentence = [4, 6, 8, 10, 11, 13, 15, 17];
        using var alone = Batch.Create([shortSentence], null, CPU);
        using var padded = Batch.Create([longSentence, shortSentence], null, CPU);
        using var noGrad = no_grad();
        var (memoryAlone, stateAlone) = model.Encode(alone.Source, alone.SourceLengths);
        var (memoryPadded, statePadded) = model.Encode(padded.Source, padded.SourceLengths);
        int real = shortSentence.Length + 1;
        float[] a = memoryAlone.States[0, ..real].data<float>().ToArray();
        float[] b = memoryPadded.States[1, ..real].data<float>().ToArray();
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 5);
        // Both directions' final states feed the decoder; they must match too.
        float[] ha = stateAlone.Hidden[0].data<float>().ToArray(), hb = statePadded.Hidden[1].data<float>().ToArray();
        for (int i = 0; i < ha.Length; i++) Assert.Equal(ha[i], hb[i], 5);
        // Padding positions carry zeros.
        Assert.Equal(0f, memoryPadded.States[1, real..].abs().max().item<float>());
    }

    [Fact]
    public void Layer_normalised_states_have_zero_mean_and_unit_variance_at_each_real_position()
    {
        var config = TinyModels.Config();
        config.EncoderLayerNorm = true;
        using var model = TinyModels.Create(config: config);
        using var batch = Batch.Create([[4, 6, 8, 10, 11], [5, 9]], null, CPU);
        using var noGrad = no_grad();
        var (memory, _) = model.Encode(batch.Source, batch.SourceLengths);
        long[] lengths = batch.SourceLengths.data<long>().ToArray();
        for (int b = 0; b < 2; b++)
            for (int p = 0; p < lengths[b]; p++)
            {
                double[] v = [.. memory.States[b, p].data<float>().Select(x => (double)x)];
                double mean = v.Average(), variance = v.Select(x => (x - mean) * (x - mean)).Average();
                Assert.Equal(0.0, mean, 4);
                Assert.Equal(1.0, variance, 2);
            }
    }

    [Theory]
    [InlineData(ModelConfig.BahdanauDecoder)]
    [InlineData(ModelConfig.ConditionalDecoder)]
    public void Teacher_forced_forward_equals_step_by_step_decoding(string decoder)
    {
        using var model = TinyModels.Create(config: TinyModels.Config(decoder: decoder));
        using var batch = Batch.Create([[5, 6, 7, 8], [9, 10]], [[11, 12, 13], [14]], CPU);
        using var noGrad = no_grad();
        var (logits, attention) = model.forward(batch.Source, batch.SourceLengths, batch.TargetInput!);
        var (memory, state) = model.Encode(batch.Source, batch.SourceLengths);
        for (int t = 0; t < batch.TargetInput!.shape[1]; t++)
        {
            var (logProbs, next, weights) = model.Decoder.Step(batch.TargetInput[.., t], state, memory);
            Assert.True(logProbs.allclose(logits[.., t].log_softmax(-1), rtol: 1e-4, atol: 1e-5));
            Assert.True(weights.allclose(attention[.., t], rtol: 1e-4, atol: 1e-6));
            state = next;
        }
    }
}
