using Seq2Seq.Data;
using Seq2Seq.Text;
using Seq2Seq.Tests.Support;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Data;

public class BatchingTests
{
    private static readonly List<TokenizedPair> Examples = TinyModels.RandomSequences(500, 1, 30, 50, seed: 1)
        .Zip(TinyModels.RandomSequences(500, 1, 30, 50, seed: 2), (s, t) => new TokenizedPair(s, t)).ToList();

    [Fact]
    public void Every_example_is_in_exactly_one_batch_within_the_budget()
    {
        var batches = TokenBatcher.Plan(Examples, maxTokens: 200, maxSentences: 16, shuffle: true, seed: 3, epoch: 0);
        Assert.Equal(Enumerable.Range(0, Examples.Count), batches.SelectMany(b => b).Order());
        foreach (var batch in batches)
        {
            int longest = batch.Max(i => Math.Max(Examples[i].Source.Length, Examples[i].Target.Length) + 1);
            Assert.True(batch.Length * longest <= 200 || batch.Length == 1);
            Assert.True(batch.Length <= 16);
        }
    }

    [Fact]
    public void Batches_group_similar_lengths()
    {
        var batches = TokenBatcher.Plan(Examples, 400, 64, shuffle: true, seed: 3, epoch: 0);
        double spread = batches.Average(b => b.Max(i => Examples[i].Target.Length) - b.Min(i => Examples[i].Target.Length));
        Assert.True(spread < 2.0, $"average target-length spread within a batch was {spread}");
    }

    [Fact]
    public void Order_depends_only_on_seed_and_epoch()
    {
        var a = TokenBatcher.Plan(Examples, 300, 32, true, seed: 5, epoch: 2);
        var b = TokenBatcher.Plan(Examples, 300, 32, true, seed: 5, epoch: 2);
        var c = TokenBatcher.Plan(Examples, 300, 32, true, seed: 5, epoch: 3);
        Assert.Equal(a.Select(x => string.Join(",", x)), b.Select(x => string.Join(",", x)));
        Assert.NotEqual(a.Select(x => string.Join(",", x)), c.Select(x => string.Join(",", x)));
    }

    [Fact]
    public void Batch_tensors_add_eos_bos_and_padding()
    {
        using var batch = Batch.Create([[5, 6, 7], [8]], [[9], [10, 11]], CPU);
        Assert.Equal(new long[] { 5, 6, 7, SpecialTokens.EosId, 8, SpecialTokens.EosId, 0, 0 }, batch.Source.data<long>().ToArray());
        Assert.Equal(new long[] { 4, 2 }, batch.SourceLengths.data<long>().ToArray());
        Assert.Equal(new long[] { SpecialTokens.BosId, 9, 0, SpecialTokens.BosId, 10, 11 }, batch.TargetInput!.data<long>().ToArray());
        Assert.Equal(new long[] { 9, SpecialTokens.EosId, 0, 10, 11, SpecialTokens.EosId }, batch.TargetOutput!.data<long>().ToArray());
        Assert.Equal(5, batch.TargetTokens);
    }
}
