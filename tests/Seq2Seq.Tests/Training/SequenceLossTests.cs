using Seq2Seq.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Training;

public class SequenceLossTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void Matches_a_naive_token_loop_ignoring_padding(double smoothing)
    {
        manual_seed(1);
        using var logits = randn(2, 3, 5);
        using var gold = tensor(new long[] { 4, 2, 0, 1, 0, 0 }, [2, 3]);
        var (loss, nll) = SequenceLoss.Compute(logits, gold, smoothing);
        float[] x = logits.data<float>().ToArray();
        long[] g = gold.data<long>().ToArray();
        double expectedNll = 0, expectedLoss = 0;
        for (int i = 0; i < 6; i++)
        {
            if (g[i] == 0) continue;
            var row = x.Skip(i * 5).Take(5).Select(v => (double)v).ToArray();
            double logSum = Math.Log(row.Sum(Math.Exp));
            double tokenNll = logSum - row[g[i]];
            double uniform = row.Sum(v => logSum - v) / 5;
            expectedNll += tokenNll;
            expectedLoss += (1 - smoothing) * tokenNll + smoothing * uniform;
        }
        Assert.Equal(expectedNll, nll.item<float>(), 4);
        Assert.Equal(expectedLoss, loss.item<float>(), 4);
    }

    [Fact]
    public void Matches_torch_cross_entropy_with_label_smoothing()
    {
        manual_seed(2);
        using var logits = randn(4, 6, 9);
        using var gold = randint(1, 9, [4, 6]);
        var (loss, _) = SequenceLoss.Compute(logits, gold, 0.2);
        using var reference = nn.functional.cross_entropy(logits.view(-1, 9), gold.view(-1), reduction: nn.Reduction.Sum, label_smoothing: 0.2);
        Assert.Equal(reference.item<float>(), loss.item<float>(), 3);
    }
}
