using Seq2Seq.Inference;
using Seq2Seq.IO;

namespace Seq2Seq.Tests.Inference;

public class ShardTests
{
    [Theory]
    [InlineData(0, 3)]
    [InlineData(2, 5)]
    [InlineData(11, 4)]
    [InlineData(1000, 7)]
    public void Shards_cover_every_line_once_in_order_with_sizes_differing_by_at_most_one(long lines, int count)
    {
        long expectedStart = 0;
        var sizes = new List<long>();
        for (int i = 1; i <= count; i++)
        {
            var (start, end) = new Shard(i, count).Range(lines);
            Assert.Equal(expectedStart, start);
            sizes.Add(end - start);
            expectedStart = end;
        }
        Assert.Equal(lines, expectedStart);
        Assert.True(sizes.Max() - sizes.Min() <= 1);
    }

    [Fact]
    public void Parse_reads_i_of_n_and_rejects_anything_else()
    {
        Assert.Equal(new Shard(3, 8), Shard.Parse("3/8"));
        foreach (string bad in new[] { "0/8", "9/8", "3", "3/", "/8", "-1/8", "a/b", "3/8/1", " 3/8" })
            Assert.Throws<InputException>(() => Shard.Parse(bad));
    }
}
