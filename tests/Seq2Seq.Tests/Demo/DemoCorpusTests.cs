using Seq2Seq.Demo;
using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Demo;

public class DemoCorpusTests
{
    private static readonly DemoCorpusOptions Small = new() { TrainPairs = 400, DevPairs = 30, TestPairs = 30 };

    [Fact]
    public void The_same_seed_gives_the_same_corpus_and_another_seed_a_different_one()
    {
        var first = DemoCorpus.Generate(Small);
        var again = DemoCorpus.Generate(Small);
        var other = DemoCorpus.Generate(Small with { Seed = Small.Seed + 1 });
        Assert.Equal(first.Train, again.Train);
        Assert.Equal(first.Test, again.Test);
        Assert.NotEqual(first.Train, other.Train);
    }

    [Fact]
    public void Splits_have_the_requested_sizes_and_share_no_source_sentence()
    {
        var splits = DemoCorpus.Generate(Small);
        Assert.Equal([400, 30, 30], new[] { splits.Train.Count, splits.Dev.Count, splits.Test.Count });
        var all = splits.Train.Concat(splits.Dev).Concat(splits.Test).Select(p => p.En).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void The_test_set_does_not_depend_on_the_training_set_size()
    {
        var small = DemoCorpus.Generate(Small);
        var large = DemoCorpus.Generate(Small with { TrainPairs = 900 });
        Assert.Equal(small.Test, large.Test);
    }

    [Fact]
    public void German_follows_the_grammar_the_model_must_learn()
    {
        var pairs = DemoCorpus.Generate(Small with { TrainPairs = 3000 }).Train.ToDictionary(p => p.En, p => p.De);
        // Masculine accusative article and adjective ending; the modal pushes the infinitive to the end.
        var modal = pairs.First(p => p.Key.Contains(" can ", StringComparison.Ordinal) && p.Key.EndsWith(" dog .", StringComparison.Ordinal));
        Assert.Matches(@" kann den (\w+en )?Hund \w+en \.$", modal.Value);
        // Subordinate clauses put the finite verb last.
        var clause = pairs.First(p => p.Key.StartsWith("I know that ", StringComparison.Ordinal));
        Assert.StartsWith("Ich weiß , dass ", clause.Value);
        Assert.Matches(@" (sieht|mag|findet|hört|trägt|malt|kauft|wäscht) \.$", clause.Value);
        // Dates reorder month and day.
        var date = pairs.First(p => p.Key.Contains(" is on ", StringComparison.Ordinal));
        Assert.Matches(@"^\S+ \S+ ist am \S+ , dem \d+\. \S+ \.$", date.Value);
    }

    [Fact]
    public void Write_creates_aligned_files_for_each_split()
    {
        using var directory = new TempDirectory();
        var splits = DemoCorpus.Generate(Small);
        DemoCorpus.Write(splits, directory.Path);
        foreach (var (name, count) in new[] { ("train", 400), ("dev", 30), ("test", 30) })
        {
            var en = File.ReadAllLines(Path.Combine(directory.Path, name + ".en"));
            var de = File.ReadAllLines(Path.Combine(directory.Path, name + ".de"));
            Assert.Equal(count, en.Length);
            Assert.Equal(count, de.Length);
        }
        Assert.Equal(splits.Test[0].De, File.ReadLines(Path.Combine(directory.Path, "test.de")).First());
    }
}
