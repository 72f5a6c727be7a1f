using TorchSharp;
using Seq2Seq.Data;
using Seq2Seq.Inference;
using Seq2Seq.IO;
using Seq2Seq.Runtime;
using Seq2Seq.Tests.Support;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Inference;

/// <summary>The half-precision decoding path, run on CPU (bf16) so it is covered without a GPU.</summary>
public class PrecisionTests
{
    private static readonly List<int[]> Sources = TinyModels.RandomSequences(6, 2, 8, 24, seed: 31);

    [Fact]
    public void A_bf16_model_searches_and_scores_in_single_precision_close_to_fp32()
    {
        using var reference = TinyModels.Create(seed: 40);
        using var half = TinyModels.Create(seed: 41);
        half.load_state_dict(reference.state_dict());   // the same weights, whatever other tests draw meanwhile
        half.to(Precision.Parse("bf16"));
        using var batch = Batch.Create(Sources, null, CPU);
        var options = new SearchOptions { BeamSize = 3, MaxLengthOffset = 3 };
        var exact = BeamSearch.Search(reference, batch, options);
        var approximate = BeamSearch.Search(half, batch, options);
        for (int i = 0; i < Sources.Count; i++)
        {
            // bf16 keeps ~3 significant digits: the search runs, and its own hypothesis scores about the same in fp32.
            var hypothesis = approximate[i][0];
            Assert.All(hypothesis.TokenLogProbs, p => Assert.True(float.IsFinite(p)));
            using var forced = Batch.Create([Sources[i]], [hypothesis.Content], CPU);
            double fp32 = Scorer.Score(reference, forced)[0].LogProb;
            Assert.True(Math.Abs(fp32 - hypothesis.LogProb) < 0.05 * Math.Abs(fp32) + 0.1, $"sentence {i}: bf16 {hypothesis.LogProb} vs fp32 {fp32}");
            Assert.Equal(exact[i][0].Tokens.Length > 0, hypothesis.Tokens.Length > 0);
        }
    }

    [Theory]
    [InlineData("fp32", ScalarType.Float32)]
    [InlineData("BF16", ScalarType.BFloat16)]
    [InlineData("half", ScalarType.Float16)]
    public void Names_map_to_types(string name, ScalarType type) => Assert.Equal(type, Precision.Parse(name));

    [Fact]
    public void Unknown_precision_is_a_clear_error() =>
        Assert.Contains("use fp32, bf16, fp16", Assert.Throws<InputException>(() => Precision.Parse("fp8")).Message);
}
