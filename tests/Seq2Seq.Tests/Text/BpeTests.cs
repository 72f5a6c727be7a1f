using Seq2Seq.Tests.Support;
using Seq2Seq.Text;

namespace Seq2Seq.Tests.Text;

public class BpeTests
{
    private static readonly string[] Corpus =
    [
        "the lower houses were the lowest in the new town",
        "newer and wider streets replaced the widest lanes",
        "Straße, Größe und Maß — ein Beispiel mit Umlauten: äöü ÄÖÜ ß.",
        "emoji 😀 and CJK 漢字 both survive",
        "low lower lowest new newer newest wide wider widest",
    ];

    [Fact]
    public void Learned_merges_follow_pair_frequency()
    {
        // "lo" w appears in low/lower/lowest (and 'lowest' twice) so (l, o) is the most frequent pair.
        var model = BpeLearner.Learn(["low lower lowest low lowest"], vocabSize: 200);
        Assert.Equal(("l", "o"), model.Merges[0]);
        Assert.Equal(("lo", "w"), model.Merges[1]);
        Assert.Equal(SpecialTokens.All, model.Vocabulary.Take(4));
    }

    [Fact]
    public void Vocabulary_size_is_respected_and_every_character_is_kept()
    {
        var model = BpeLearner.Learn(Corpus, vocabSize: 80);
        Assert.True(model.Vocabulary.Count <= 80);
        foreach (char c in string.Concat(Corpus).Where(c => c != ' ' && !char.IsSurrogate(c)))
            Assert.Contains(model.Vocabulary, v => v == c.ToString() || v == c + BpeLearner.EndOfWordSuffix);
    }

    [Fact]
    public void Learning_is_deterministic()
    {
        var first = BpeLearner.Learn(Corpus, 120);
        var second = BpeLearner.Learn(Corpus.Reverse(), 120);
        Assert.Equal(first.Vocabulary, second.Vocabulary);
        Assert.Equal(first.Merges, second.Merges);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(300)]
    public void Round_trip_restores_the_normalised_text(int vocabSize)
    {
        using var dir = new TempDirectory();
        BpeLearner.Learn(Corpus.Select(TextNormalizer.Apply), vocabSize).Save(dir.Path);
        var tokenizer = SubwordTokenizer.Load(dir.Path);
        var inputs = Corpus.Concat(Corpus.Select(l => "  " + l.Replace(" ", " \t  ") + "\r\n")).Append("Gro\u0308ße");
        foreach (string line in inputs)
        {
            var ids = tokenizer.Encode(line);
            Assert.DoesNotContain(SpecialTokens.UnknownId, ids);
            Assert.Equal(TextNormalizer.Apply(line), tokenizer.Decode(ids));
        }
    }

    [Fact]
    public void Normalisation_is_nfc_with_single_spaces()
    {
        Assert.Equal("Café au lait", TextNormalizer.Apply("  Cafe\u0301 \t au\u00A0lait \r"));
        Assert.Equal("a b", TextNormalizer.Apply("a\u0000b"));
    }

    [Fact]
    public void Unknown_characters_become_the_unknown_token()
    {
        using var dir = new TempDirectory();
        BpeLearner.Learn(["abc abc"], 50).Save(dir.Path);
        var tokenizer = SubwordTokenizer.Load(dir.Path);
        Assert.Contains(SpecialTokens.UnknownId, tokenizer.Encode("abz"));
    }

    [Fact]
    public void Merges_shorten_frequent_words()
    {
        using var dir = new TempDirectory();
        BpeLearner.Learn(Enumerable.Repeat("translation model translation", 10), 100).Save(dir.Path);
        var tokenizer = SubwordTokenizer.Load(dir.Path);
        Assert.Equal(["translation</w>"], tokenizer.Pieces(tokenizer.Encode("translation")));
    }
}
