using System.Text.Json;
using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Cli;

[Collection(TrainedModelCollection.Name)]
public class CliVerbTests(TrainedModelFixture fixture)
{
    private string Write(string name, IEnumerable<string> lines) => fixture.Directory.WriteLines(name, lines);

    [Fact]
    public void Train_succeeds_and_writes_a_run()
    {
        Assert.True(fixture.Train.ExitCode == 0, fixture.Train.ToString());
        Assert.True(File.Exists(Path.Combine(fixture.Model, "best.json")));
        Assert.Contains("Validation at step", fixture.Train.Error);
        Assert.Contains("tokens/s", fixture.Train.Error);
        Assert.Contains("with 1 CPU thread:", fixture.Train.Error);   // --threads reached the trainer
    }

    [Fact]
    public void Translate_keeps_line_count_and_empty_lines()
    {
        string input = Write("in.txt", [fixture.Test[0].En, "", fixture.Test[1].En, "   "]);
        string output = fixture.Directory.File("out.txt");
        var result = CliProcess.Run("translate", "--model", fixture.Model, "--input", input, "--output", output, "--beam", "3");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = File.ReadAllText(output).Split('\n');
        Assert.Equal(5, lines.Length); // four lines and the final newline
        Assert.NotEmpty(lines[0]);
        Assert.Equal("", lines[1]);
        Assert.NotEmpty(lines[2]);
        Assert.Equal("", lines[3]);
    }

    [Fact]
    public void Translate_reads_stdin_and_writes_stdout()
    {
        var result = CliProcess.RunIn(fixture.Directory.Path, fixture.Test[2].En + "\n", "translate", "--model", fixture.Model, "--beam", "1");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(result.Output.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Scoring_a_translation_gives_back_its_log_probability()
    {
        string input = Write("score-src.txt", fixture.Test.Take(8).Select(p => p.En));
        string jsonl = fixture.Directory.File("out.jsonl");
        var translated = CliProcess.Run("translate", "--model", fixture.Model, "--input", input, "--output", jsonl, "--format", "jsonl", "--beam", "4");
        Assert.True(translated.ExitCode == 0, translated.ToString());
        var rows = File.ReadAllLines(jsonl).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(8, rows.Count);
        foreach (var row in rows)
        {
            double sum = row.GetProperty("token_log_probs").EnumerateArray().Sum(x => x.GetDouble());
            Assert.Equal(row.GetProperty("log_prob").GetDouble(), sum, 3);
            Assert.Equal("</s>", row.GetProperty("tokens").EnumerateArray().Last().GetString());
        }
        string hypotheses = Write("score-hyp.txt", rows.Select(r => r.GetProperty("translation").GetString()!));
        string scores = fixture.Directory.File("scores.jsonl");
        var scored = CliProcess.Run("score", "--model", fixture.Model, "--source", input, "--target", hypotheses, "--output", scores);
        Assert.True(scored.ExitCode == 0, scored.ToString());
        var scoreRows = File.ReadAllLines(scores).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i].GetProperty("log_prob").GetDouble(), scoreRows[i].GetProperty("log_prob").GetDouble(), 3);
            Assert.Equal(rows[i].GetProperty("tokens").GetRawText(), scoreRows[i].GetProperty("tokens").GetRawText());
        }
    }

    [Fact]
    public void An_ensemble_of_two_checkpoints_translates_and_scores_consistently()
    {
        var checkpoints = Directory.GetDirectories(Path.Combine(fixture.Model, "checkpoints")).Order().ToList();
        Assert.True(checkpoints.Count >= 2, "the fixture run keeps at least two checkpoints");
        string[] models = ["--model", checkpoints[0], "--model", checkpoints[^1], "--ensemble-weights", "1", "2"];
        string input = Write("ens-src.txt", fixture.Test.Take(6).Select(p => p.En));
        string jsonl = fixture.Directory.File("ens.jsonl");
        var translated = CliProcess.Run(["translate", .. models, "--input", input, "--output", jsonl, "--format", "jsonl", "--beam", "3"]);
        Assert.True(translated.ExitCode == 0, translated.ToString());
        var rows = File.ReadAllLines(jsonl).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        string hypotheses = Write("ens-hyp.txt", rows.Select(r => r.GetProperty("translation").GetString()!));
        string scores = fixture.Directory.File("ens-scores.jsonl");
        var scored = CliProcess.Run(["score", .. models, "--source", input, "--target", hypotheses, "--output", scores]);
        Assert.True(scored.ExitCode == 0, scored.ToString());
        var single = CliProcess.Run("score", "--model", checkpoints[^1], "--source", input, "--target", hypotheses);
        var scoreRows = File.ReadAllLines(scores).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var singleRows = single.Output.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        for (int i = 0; i < rows.Count; i++)
            Assert.Equal(rows[i].GetProperty("log_prob").GetDouble(), scoreRows[i].GetProperty("log_prob").GetDouble(), 3);
        Assert.Contains(Enumerable.Range(0, rows.Count), i =>
            Math.Abs(singleRows[i].GetProperty("log_prob").GetDouble() - scoreRows[i].GetProperty("log_prob").GetDouble()) > 1e-3);
        // The weights count: equal weights score the same translations differently.
        var equal = CliProcess.Run(["score", .. models[..4], "--source", input, "--target", hypotheses]);
        var equalRows = equal.Output.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(Enumerable.Range(0, rows.Count), i =>
            Math.Abs(equalRows[i].GetProperty("log_prob").GetDouble() - scoreRows[i].GetProperty("log_prob").GetDouble()) > 1e-3);
        var mismatched = CliProcess.Run(["translate", .. models[..4], "--ensemble-weights", "1", "--input", input]);
        Assert.Equal(1, mismatched.ExitCode);
        Assert.Contains("1 ensemble weight for 2 models", mismatched.Error);
    }

    [Fact]
    public void Attention_writes_a_png_heatmap()
    {
        string png = fixture.Directory.File("attention.png");
        var result = CliProcess.Run("attention", "--model", fixture.Model, "--text", fixture.Test[3].En, "--out", png);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);
    }

    [Fact]
    public void Attention_takes_a_line_of_a_file()
    {
        string input = Write("att-in.txt", fixture.Test.Take(3).Select(p => p.En));
        string svg = fixture.Directory.File("attention.svg");
        var result = CliProcess.Run("attention", "--model", fixture.Model, "--input", input, "--line", "2", "--out", svg);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("<svg", File.ReadAllText(svg));
    }

    [Fact]
    public void Translate_with_a_prefix_file_starts_each_translation_with_its_prefix()
    {
        var sources = fixture.Test.Take(4).Select(p => p.En).ToList();
        string input = Write("prefix-in.txt", sources);
        string prefixes = Write("prefixes.txt", ["Die Katze", "", "Wir", "Das alte Auto"]);
        string output = fixture.Directory.File("prefix-out.txt");
        var result = CliProcess.Run("translate", "--model", fixture.Model, "--input", input, "--output", output, "--prefix-file", prefixes);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = File.ReadAllLines(output);
        Assert.StartsWith("Die Katze ", lines[0] + " ");
        Assert.StartsWith("Wir ", lines[2] + " ");
        Assert.StartsWith("Das alte Auto ", lines[3] + " ");
        var free = CliProcess.Run("translate", "--model", fixture.Model, "--input", input, "--output", "-");
        Assert.Equal(free.Output.Split('\n')[1], lines[1]);   // an empty prefix changes nothing

        string short_ = Write("prefixes-short.txt", ["Die Katze"]);
        var refused = CliProcess.Run("translate", "--model", fixture.Model, "--input", input, "--output", fixture.Directory.File("x.txt"), "--prefix-file", short_);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("prefixes-short.txt", refused.Error);
        Assert.Contains("fewer lines", refused.Error);
        Assert.False(File.Exists(fixture.Directory.File("x.txt")));
    }

    [Fact]
    public void Translate_offers_next_word_alternatives_in_jsonl_and_names_the_prefix_line_it_cannot_use()
    {
        var sources = fixture.Test.Take(3).Select(p => p.En).ToList();
        string input = Write("alternatives-in.txt", sources);
        string prefixes = Write("alternatives-prefixes.txt", ["Die Ka", "", "Wir "]);
        string output = fixture.Directory.File("alternatives-out.jsonl");
        var result = CliProcess.Run("translate", "--model", fixture.Model, "--input", input, "--output", output, "--format", "jsonl",
            "--prefix-file", prefixes, "--alternatives", "3");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = File.ReadAllLines(output).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToList();
        foreach (var line in lines)
        {
            var alternatives = line["alternatives"]!.AsArray();
            Assert.InRange(alternatives.Count, 1, 3);
            Assert.All(alternatives, a => Assert.InRange(a!["probability"]!.GetValue<double>(), 0.0, 1.0));
            Assert.All(alternatives, a => Assert.Contains(a!["word"]!.GetValue<string>(), a["translation"]!.GetValue<string>()));
        }
        Assert.All(lines[0]["alternatives"]!.AsArray(), a => Assert.StartsWith("Ka", a!["word"]!.GetValue<string>()));

        var text = CliProcess.Run("translate", "--model", fixture.Model, "--input", input, "--output", "-", "--alternatives", "3");
        Assert.Equal(1, text.ExitCode);
        Assert.Contains("--alternatives needs --format jsonl", text.Error);
        var outOfRange = CliProcess.Run("translate", "--model", fixture.Model, "--input", input, "--format", "jsonl", "--alternatives", "51");
        Assert.NotEqual(0, outOfRange.ExitCode);
        Assert.Contains("--alternatives must be between 0 and 50", outOfRange.Error);

        string bad = Write("alternatives-bad-prefixes.txt", ["", "Die 中", ""]);
        string refusedOutput = fixture.Directory.File("alternatives-refused.jsonl");
        var refused = CliProcess.Run("translate", "--model", fixture.Model, "--input", input, "--output", refusedOutput, "--format", "jsonl", "--prefix-file", bad);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("alternatives-bad-prefixes.txt:2:", refused.Error);
        Assert.Contains("'中'", refused.Error);
        Assert.False(File.Exists(refusedOutput));
    }

    [Fact]
    public void Attention_refuses_n_best_because_it_draws_the_best_translation_only()
    {
        var result = CliProcess.Run("attention", "--model", fixture.Model, "--text", "one two", "--out", fixture.Directory.File("nbest.png"), "--n-best", "2");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--n-best", result.Error);
        Assert.False(File.Exists(fixture.Directory.File("nbest.png")));
    }

    [Fact]
    public void Evaluate_prints_bleu_and_chrf()
    {
        string reference = Write("ref.txt", fixture.Test.Take(5).Select(p => p.De));
        var result = CliProcess.Run("evaluate", "--hyp", reference, "--ref", reference);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("BLEU = 100.00", result.Output);
        Assert.Contains("chrF2 = 100.00", result.Output);
    }

    [Fact]
    public void Evaluate_lowercase_ignores_case_in_bleu_only()
    {
        var references = fixture.Test.Take(5).Select(p => p.De).ToList();
        string reference = Write("ref-lc.txt", references);
        string upper = Write("hyp-upper.txt", references.Select(r => r.ToUpperInvariant()));
        var cased = CliProcess.Run("evaluate", "--hyp", upper, "--ref", reference);
        var lowercased = CliProcess.Run("evaluate", "--hyp", upper, "--ref", reference, "--lowercase");
        Assert.True(lowercased.ExitCode == 0, lowercased.ToString());
        Assert.DoesNotContain("BLEU = 100.00", cased.Output);
        Assert.Contains("BLEU = 100.00", lowercased.Output);
        Assert.DoesNotContain("chrF2 = 100.00", lowercased.Output);
    }

    [Fact]
    public void Prepare_writes_tokenizer_files()
    {
        string output = fixture.Directory.File("bpe");
        var result = CliProcess.Run("prepare", "--train", fixture.Directory.File("train"), "-s", "en", "-t", "de", "--vocab-size", "200", "--separate", "--out", output);
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (string file in new[] { "source.vocab.json", "source.merges.txt", "target.vocab.json", "target.merges.txt" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        Assert.NotEqual(File.ReadAllText(Path.Combine(output, "source.vocab.json")), File.ReadAllText(Path.Combine(output, "target.vocab.json")));
    }
}
