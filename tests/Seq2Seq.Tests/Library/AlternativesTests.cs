using System.ComponentModel.DataAnnotations;
using Seq2Seq.Inference;
using Seq2Seq.IO;
using Seq2Seq.Tests.Cli;
using Seq2Seq.Text;

namespace Seq2Seq.Tests.Library;

/// <summary>Next-word alternatives of interactive translation, against forced decoding and plain search.</summary>
[Collection(TrainedModelCollection.Name)]
public class AlternativesTests(TrainedModelFixture trained)
{
    private static readonly TranslationModelOptions Cpu = new() { Device = "cpu", Threads = 1 };

    private List<string> Sources => [.. trained.Test.Take(6).Select(p => p.En)];

    [Theory]
    [InlineData("")]
    [InlineData("Die ")]
    [InlineData("Die Katze ")]
    public void Alternatives_are_distinct_words_most_probable_first_each_with_a_completion_that_goes_on_with_it(string prefix)
    {
        using var model = TranslationModel.Open(trained.Model, Cpu);
        var options = new SearchOptions { BeamSize = 3, Alternatives = 4 };
        var translations = model.Translate(Sources, [.. Sources.Select(_ => prefix)], options);
        int prefixTokens = model.TargetTokenizer.Encode(prefix).Length;
        foreach (var t in translations)
        {
            Assert.InRange(t.Alternatives.Count, 2, 4);
            Assert.Equal(t.Alternatives.Count, t.Alternatives.Select(a => a.Word).Distinct().Count());
            Assert.Equal(t.Alternatives.OrderByDescending(a => a.Probability).Select(a => a.Word), t.Alternatives.Select(a => a.Word));
            // Distinct first subwords: their probabilities cannot add up to more than one.
            Assert.True(t.Alternatives.Sum(a => a.Probability) <= 1 + 1e-6);
            foreach (var a in t.Alternatives)
            {
                Assert.DoesNotContain(' ', a.Word);
                Assert.StartsWith(prefix + a.Word, a.Translation.Text + " ");
                // Slow reference: forced decoding of the completion, its word's subwords read off one by one.
                var scored = model.Score([(t.Source, a.Translation.Text)])[0];
                Assert.Equal(a.Translation.Hypothesis.LogProb, scored.LogProb, 3);
                int wordEnd = prefixTokens;
                while (!SubwordTokenizer.EndsWord(model.TargetTokenizer.Piece(scored.Tokens[wordEnd]))) wordEnd++;
                double wordLogProb = scored.TokenLogProbs[prefixTokens..(wordEnd + 1)].Sum(p => (double)p);
                Assert.Equal(Math.Exp(wordLogProb), a.Probability, 4);
            }
        }
    }

    [Fact]
    public void Asking_for_alternatives_leaves_the_translation_as_it_was()
    {
        using var model = TranslationModel.Open(trained.Model, Cpu);
        string[] prefixes = ["", "Die Ka", "Wir ", "", "Das", "Die Katze "];
        var plain = model.Translate(Sources, prefixes, new SearchOptions { BeamSize = 4, NBest = 2 });
        var offered = model.Translate(Sources, prefixes, new SearchOptions { BeamSize = 4, NBest = 2, Alternatives = 5 });
        Assert.All(plain, t => Assert.Empty(t.Alternatives));
        for (int i = 0; i < Sources.Count; i++)
        {
            Assert.Equal(plain[i].Candidates.Select(c => (c.Text, c.Hypothesis.LogProb)), offered[i].Candidates.Select(c => (c.Text, c.Hypothesis.LogProb)));
            Assert.NotEmpty(offered[i].Alternatives);
        }
    }

    [Fact]
    public void With_beam_one_the_most_probable_first_subword_completes_to_the_greedy_translation()
    {
        using var model = TranslationModel.Open(trained.Model, Cpu);
        var greedy = new SearchOptions { BeamSize = 1 };
        var free = model.Translate(Sources, greedy);
        var offered = model.Translate(Sources, new SearchOptions { BeamSize = 1, Alternatives = 3 });
        for (int i = 0; i < Sources.Count; i++)
            Assert.Contains(offered[i].Alternatives, a => a.Translation.Text == free[i].Best && a.Translation.Hypothesis.LogProb == free[i].Candidates[0].Hypothesis.LogProb);
    }

    [Fact]
    public void An_ensemble_offers_alternatives_too_and_a_model_twice_offers_what_it_offers_alone()
    {
        using var single = TranslationModel.Open(trained.Model, Cpu);
        using var twice = TranslationModel.Open([trained.Model, trained.Model], Cpu);
        var options = new SearchOptions { BeamSize = 3, Alternatives = 3 };
        string[] prefixes = [.. Sources.Select(_ => "Die ")];
        var alone = single.Translate(Sources, prefixes, options);
        var together = twice.Translate(Sources, prefixes, options);
        for (int i = 0; i < Sources.Count; i++)
        {
            Assert.Equal(alone[i].Alternatives.Select(a => (a.Word, a.Translation.Text)), together[i].Alternatives.Select(a => (a.Word, a.Translation.Text)));
            Assert.Equal(alone[i].Alternatives.Select(a => a.Probability), together[i].Alternatives.Select(a => a.Probability), new ToleranceComparer(1e-4));
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double value) => 0;
    }

    [Fact]
    public void A_word_being_typed_is_offered_only_as_words_that_start_with_it()
    {
        using var model = TranslationModel.Open(trained.Model, Cpu);
        var translations = model.Translate(Sources, [.. Sources.Select(_ => "Die Ka")], new SearchOptions { BeamSize = 3, Alternatives = 3 });
        foreach (var t in translations)
        {
            Assert.NotEmpty(t.Alternatives);
            Assert.All(t.Alternatives, a => Assert.StartsWith("Ka", a.Word));
            Assert.All(t.Alternatives, a => Assert.StartsWith("Die " + a.Word, a.Translation.Text));
        }
    }

    [Fact]
    public void Prefixes_that_cannot_be_used_and_counts_out_of_range_are_refused_clearly()
    {
        using var model = TranslationModel.Open(trained.Model, Cpu);
        Assert.Null(model.PrefixProblem("the cat", "Die Ka"));
        Assert.Null(model.PrefixProblem("", ""));
        Assert.Contains("empty", model.PrefixProblem("  ", "Die"));
        var uncovered = Assert.Throws<InputException>(() => model.Translate(["the cat", "a dog"], ["", "Die 中"], null));
        Assert.Contains("prefix 2", uncovered.Message);
        Assert.Contains("'中'", uncovered.Message);
        Assert.Throws<InputException>(() => model.Translate([""], ["Die"], null));
        Assert.Throws<ValidationException>(() => model.Translate(Sources, new SearchOptions { Alternatives = -1 }));
        Assert.Throws<ValidationException>(() => model.Translate(Sources, new SearchOptions { Alternatives = SearchOptions.MaxAlternatives + 1 }));
        // An empty text with alternatives is an empty translation with none, as without them.
        Assert.Empty(model.Translate([""], new SearchOptions { Alternatives = 3 })[0].Alternatives);
    }
}
