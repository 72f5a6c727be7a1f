using Seq2Seq.Inference;
using Seq2Seq.IO;
using Seq2Seq.Tests.Cli;
using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Library;

/// <summary>The library's one entry type, against the real <c>seq2seq</c> program on the same model.</summary>
[Collection(TrainedModelCollection.Name)]
public class TranslationModelTests(TrainedModelFixture trained)
{
    private static readonly TranslationModelOptions Cpu = new() { Device = "cpu", Threads = 1 };

    private List<string> Sources => [.. trained.Test.Select(p => p.En)];

    [Fact]
    public void The_thread_count_s_decisions_go_to_the_logger_given_in_the_options()
    {
        var log = new RecordingLogger();
        using var model = TranslationModel.Open(trained.Model, Cpu with { Logger = log });
        Assert.Contains(log.Entries, e => e.Message == "libtorch threads: 1 (fixed)");
    }

    [Fact]
    public void Translations_equal_the_translate_commands_output_byte_for_byte()
    {
        Assert.Equal(0, trained.Train.ExitCode);
        string input = trained.Directory.WriteLines("facade-in.en", Sources);
        string output = trained.Directory.File("facade-out.de");
        var cli = CliProcess.Run("translate", "--model", trained.Model, "--input", input, "--output", output, "--beam", "3", "--threads", "1");
        Assert.Equal(0, cli.ExitCode);

        using var model = TranslationModel.Open(trained.Model, Cpu);
        var translations = model.Translate(Sources, new SearchOptions { BeamSize = 3 });
        Assert.Equal(File.ReadAllText(output), string.Concat(translations.Select(t => t.Best + "\n")));
        Assert.Equal(translations[0].Best, model.Translate(Sources[0], new SearchOptions { BeamSize = 3 }));
    }

    [Fact]
    public void Several_threads_at_once_get_the_answers_of_one_thread()
    {
        using var model = TranslationModel.Open(trained.Model, Cpu);
        var expected = model.Translate(Sources).Select(t => t.Best).ToList();
        var answers = new List<string>[6];
        Parallel.For(0, answers.Length, new ParallelOptions { MaxDegreeOfParallelism = 6 }, i =>
        {
            // Each thread asks for a different slice, so interleaved calls would show as wrong answers.
            var slice = Sources.Skip(i * 5).Take(10).ToList();
            answers[i] = [.. model.Translate(slice).Select(t => t.Best)];
        });
        for (int i = 0; i < answers.Length; i++) Assert.Equal(expected.Skip(i * 5).Take(10), answers[i]);
    }

    [Fact]
    public void The_score_of_a_translation_equals_its_search_log_probability()
    {
        using var model = TranslationModel.Open(trained.Model, Cpu);
        var translations = model.Translate(Sources.Take(8).ToList());
        var scores = model.Score([.. translations.Select(t => (t.Source, t.Best))]);
        for (int i = 0; i < translations.Count; i++)
            Assert.Equal(translations[i].Candidates[0].Hypothesis.LogProb, scores[i].LogProb, 3);
    }

    [Fact]
    public void Attention_rows_sum_to_one_over_the_source_and_its_end()
    {
        using var model = TranslationModel.Open(trained.Model, Cpu);
        var matrix = model.Attention(Sources[0]);
        Assert.Equal(matrix.SourceTokens.Count, matrix.Weights.GetLength(1));
        Assert.Equal(matrix.TargetTokens.Count, matrix.Weights.GetLength(0));
        for (int t = 0; t < matrix.Weights.GetLength(0); t++)
            Assert.Equal(1.0, Enumerable.Range(0, matrix.Weights.GetLength(1)).Sum(s => (double)matrix.Weights[t, s]), 4);
        Assert.Throws<InputException>(() => model.Attention(""));
    }

    [Fact]
    public void Info_describes_the_checkpoint()
    {
        using var model = TranslationModel.Open(trained.Model, Cpu);
        Assert.StartsWith(trained.Model, model.Info.Checkpoints[0]);
        Assert.Equal(300, model.Info.SourceVocabularySize);
        Assert.True(model.Info.Parameters > 0);
        Assert.Equal("fp32", model.Info.Precision);
    }

    [Fact]
    public void A_prefix_of_the_models_own_words_gives_back_its_translation_and_other_prefixes_are_kept_and_completed()
    {
        using var model = TranslationModel.Open(trained.Model, Cpu);
        var greedy = new SearchOptions { BeamSize = 1 };
        var sources = Sources.Take(8).ToList();
        var free = model.Translate(sources, greedy);
        // Whole words: followed by a space.
        var ownStart = free.Select(t => string.Join(' ', t.Best.Split(' ').Take(2)) + " ").ToList();
        var forced = model.Translate(sources, ownStart, greedy);
        Assert.Equal(free.Select(t => t.Best), forced.Select(t => t.Best));
        Assert.Equal(free.Select(t => t.Best), model.Translate(sources, [.. sources.Select(_ => "")], greedy).Select(t => t.Best));

        var typed = model.Translate(sources, [.. sources.Select(_ => "Die Katze")], new SearchOptions { BeamSize = 4 });
        Assert.All(typed, t => Assert.StartsWith("Die Katze ", t.Best + " "));
        var scores = model.Score([.. typed.Select(t => (t.Source, t.Best))]);
        for (int i = 0; i < typed.Count; i++) Assert.Equal(typed[i].Candidates[0].Hypothesis.LogProb, scores[i].LogProb, 3);
        Assert.Throws<InputException>(() => model.Translate(sources, ["one prefix"], greedy));
    }

    [Fact]
    public void A_prefix_ending_inside_a_word_is_completed_by_a_word_that_starts_with_it()
    {
        using var model = TranslationModel.Open(trained.Model, Cpu);
        var sources = Sources.Take(6).ToList();
        foreach (string prefix in new[] { "Die Ka", "Wir fi", "Da" })
        {
            var translations = model.Translate(sources, [.. sources.Select(_ => prefix)], new SearchOptions { BeamSize = 3 });
            string[] typed = prefix.Split(' ');
            foreach (var t in translations)
            {
                string[] words = t.Best.Split(' ');
                Assert.True(words.Length >= typed.Length, t.Best);
                Assert.Equal(typed[..^1], words[..(typed.Length - 1)]);
                Assert.StartsWith(typed[^1], words[typed.Length - 1]);
            }
        }
    }

    [Fact]
    public void After_dispose_every_call_is_refused()
    {
        var model = TranslationModel.Open(trained.Model, Cpu);
        model.Dispose();
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Translate("a house"));
        Assert.Throws<ObjectDisposedException>(() => model.Score([("a", "b")]));
    }

    [Fact]
    public void A_damaged_checkpoint_is_a_clear_input_error_naming_the_file()
    {
        string best = Path.Combine(trained.Model, "checkpoints", Directory.GetDirectories(Path.Combine(trained.Model, "checkpoints")).Select(Path.GetFileName).Order().Last()!);
        string copy = trained.Directory.File("damaged-checkpoint");
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(best)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        string weights = Directory.GetFiles(copy, "*.safetensors").Single();
        using (var stream = File.OpenWrite(weights)) stream.SetLength(stream.Length / 2);
        var error = Assert.Throws<InputException>(() => TranslationModel.Open(copy, Cpu));
        Assert.Contains(Path.GetFileName(weights), error.Message);
    }

    [Fact]
    public void Bad_paths_and_options_are_clear_input_errors()
    {
        string missing = trained.Directory.File("no-such-run");
        var error = Assert.Throws<InputException>(() => TranslationModel.Open(missing, Cpu));
        Assert.Contains(missing, error.Message);
        Assert.Throws<InputException>(() => TranslationModel.Open([], Cpu));
        Assert.Contains("1 ensemble weight for 2 models",
            Assert.Throws<InputException>(() => TranslationModel.Open([trained.Model, trained.Model], Cpu with { EnsembleWeights = [1] })).Message);
        Assert.Throws<InputException>(() => TranslationModel.Open(trained.Model, Cpu with { EnsembleWeights = [-1] }));
    }
}
