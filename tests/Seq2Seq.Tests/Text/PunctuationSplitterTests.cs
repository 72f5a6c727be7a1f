using Seq2Seq.Inspection;
using Seq2Seq.Tests.Support;
using Seq2Seq.Text;

namespace Seq2Seq.Tests.Text;

public class PunctuationSplitterTests
{
    private const char J = PunctuationSplitter.Joiner;

    [Theory]
    [InlineData("Ein Mann putzt Fenster.", "Ein Mann putzt Fenster ￭.")]
    [InlineData("\"Hallo!\", sagt sie.", "\"￭ Hallo ￭!\", sagt sie ￭.")]
    [InlineData("z.B. 3.5 don't T-Shirt", "z.B ￭. 3.5 don't T-Shirt")]
    [InlineData("( a ) - ...", "( a ) - ...")]
    [InlineData("(Hallo)", "(￭ Hallo ￭)")]
    [InlineData("", "")]
    public void Split_marks_punctuation_glued_to_words_and_leaves_the_rest(string text, string split)
    {
        Assert.Equal(split, PunctuationSplitter.Split(text));
        Assert.Equal(text, PunctuationSplitter.Join(split));
    }

    [Fact]
    public void Join_undoes_split_on_random_text()
    {
        var random = new Random(11);
        const string alphabet = "abcÄöß19.,;:!?\"'()-–/%€ ";
        for (int i = 0; i < 2000; i++)
        {
            string raw = new([.. Enumerable.Range(0, random.Next(0, 30)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            string normalized = TextNormalizer.Apply(raw);
            Assert.Equal(normalized, PunctuationSplitter.Join(PunctuationSplitter.Split(normalized)));
        }
    }

    [Fact]
    public void A_joiner_in_the_input_is_dropped_so_it_cannot_be_confused_with_the_mark()
    {
        Assert.Equal("ab ￭.", PunctuationSplitter.Split($"a{J}b."));
    }

    [Fact]
    public void A_vocabulary_learned_from_split_text_splits_encodes_and_restores_text()
    {
        string[] corpus =
        [
            "Ein Mann putzt Fenster.", "Zwei Hunde spielen im Schnee.", "Eine Frau liest ein Buch, und ein Kind schläft.",
            "Ein Junge springt in den See.", "\"Hallo!\", sagt der Mann.", "Die Fenster sind sauber.",
        ];
        using var dir = new TempDirectory();
        var (split, _) = BpePreparation.Learn([.. corpus.Select(TextNormalizer.Apply)], [.. corpus.Select(TextNormalizer.Apply)],
            joint: true, vocabSize: 120, minFrequency: 1, dir.File("split"), splitPunctuation: true);
        BpePreparation.Learn([.. corpus.Select(TextNormalizer.Apply)], [.. corpus.Select(TextNormalizer.Apply)],
            joint: true, vocabSize: 120, minFrequency: 1, dir.File("plain"));
        var tokenizer = SubwordTokenizer.Load(dir.File("split"), BpePreparation.SourcePrefix);
        var plain = SubwordTokenizer.Load(dir.File("plain"), BpePreparation.SourcePrefix);

        Assert.True(tokenizer.SplitsPunctuation);
        Assert.False(plain.SplitsPunctuation);
        // No entry spends a letter and the sentence's final full stop together.
        Assert.DoesNotContain(split.Vocabulary, v => v.Length > 1 && char.IsLetter(v[0]) && v.EndsWith("." + BpeLearner.EndOfWordSuffix, StringComparison.Ordinal));
        foreach (string sentence in corpus.Append("Die Hunde spielen, sagt sie."))
        {
            var ids = tokenizer.Encode(sentence);
            Assert.Equal(TextNormalizer.Apply(sentence), tokenizer.Decode(ids));
            // Word views and alignments count the words as the text has them: "Fenster." is one word.
            var words = Subwords.Words([.. tokenizer.Pieces(ids)]);
            Assert.Equal(TextNormalizer.Apply(sentence).Split(' '), words);
        }
    }
}

public class SplitPunctuationSettingTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_tokenizer_setting_of_a_run_decides_whether_its_vocabulary_splits_punctuation(bool split)
    {
        using var dir = new TempDirectory();
        var pairs = TinyRuns.ReversePairs(200, seed: 4);
        dir.WriteLines("data/train.src", pairs.Select(p => p.Source + "."));
        dir.WriteLines("data/train.tgt", pairs.Select(p => "(" + p.Target + "!)"));
        dir.WriteLines("data/valid.src", pairs.Take(5).Select(p => p.Source + "."));
        dir.WriteLines("data/valid.tgt", pairs.Take(5).Select(p => "(" + p.Target + "!)"));
        var run = new Seq2Seq.Checkpoints.RunDirectory(dir.File("run"));
        var data = Seq2Seq.Training.TrainingData.Load(
            new Seq2Seq.Training.DataOptions { Train = dir.File("data/train"), Valid = dir.File("data/valid"), SourceLanguage = "src", TargetLanguage = "tgt" },
            new Seq2Seq.Training.TokenizerOptions { VocabSize = 60, SplitPunctuation = split }, run, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal(split, data.SourceTokenizer.SplitsPunctuation);
        Assert.Equal(split, data.TargetTokenizer.SplitsPunctuation);
        string text = "(" + pairs[0].Target + "!)";
        Assert.Equal(text, data.TargetTokenizer.Decode(data.TargetTokenizer.Encode(text)));
    }
}
