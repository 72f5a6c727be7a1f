using Seq2Seq.Model;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Model;

public class AttentionTests
{
    [Fact]
    public void Weights_sum_to_one_over_real_tokens_and_are_zero_on_padding()
    {
        manual_seed(3);
        using var attention = new AdditiveAttention(keySize: 6, querySize: 5, attentionSize: 4);
        using var states = randn(3, 7, 6);
        long[] lengths = [7, 4, 1];
        using var padding = arange(7).unsqueeze(0).ge(tensor(lengths).unsqueeze(1));
        using var memory = new EncoderMemory(states.alias(), attention.ProjectKeys(states), padding.alias());
        using var query = randn(3, 5);
        using var projected = attention.ProjectQuery(query);
        var (context, weights) = attention.call(projected, memory);
        float[] w = weights.data<float>().ToArray();
        for (int b = 0; b < 3; b++)
        {
            Assert.Equal(1.0, Enumerable.Range(0, (int)lengths[b]).Sum(s => w[b * 7 + s]), 5);
            for (int s = (int)lengths[b]; s < 7; s++) Assert.Equal(0f, w[b * 7 + s]);
        }
        // The context is the weighted sum of the states (slow reference).
        float[] h = states.data<float>().ToArray(), c = context.data<float>().ToArray();
        for (int b = 0; b < 3; b++)
            for (int d = 0; d < 6; d++)
                Assert.Equal(Enumerable.Range(0, 7).Sum(s => w[b * 7 + s] * h[(b * 7 + s) * 6 + d]), c[b * 6 + d], 4);
    }

    [Fact]
    public void Energies_follow_the_additive_formula()
    {
        manual_seed(4);
        using var attention = new AdditiveAttention(3, 2, 4);
        using var states = randn(1, 5, 3);
        using var padding = zeros(1, 5, dtype: ScalarType.Bool);
        using var memory = new EncoderMemory(states.alias(), attention.ProjectKeys(states), padding.alias());
        using var query = randn(1, 2);
        using var projected = attention.ProjectQuery(query);
        var (_, weights) = attention.call(projected, memory);
        var p = attention.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        // e_j = v · tanh(W q + U h_j), computed naively.
        var e = new double[5];
        for (int j = 0; j < 5; j++)
        {
            using var hidden = (p["queryLayer.weight"].matmul(query[0]) + p["keyLayer.weight"].matmul(states[0, j])).tanh();
            e[j] = p["energyLayer.weight"].matmul(hidden).item<float>();
        }
        double max = e.Max(), sum = e.Sum(x => Math.Exp(x - max));
        float[] w = weights.data<float>().ToArray();
        for (int j = 0; j < 5; j++) Assert.Equal(Math.Exp(e[j] - max) / sum, w[j], 5);
    }
}
