using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Cli;

[Collection(TrainedModelCollection.Name)]
public class BadInputTests(TrainedModelFixture fixture)
{
    private static void AssertCleanFailure(CliResult result, int exitCode, params string[] messageParts)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        foreach (string part in messageParts) Assert.Contains(part, result.Error);
        Assert.DoesNotContain("   at ", result.Error); // no stack trace
        Assert.DoesNotContain("Unhandled exception", result.Error);
    }

    [Fact]
    public void Missing_input_file()
    {
        string output = fixture.Directory.File("never.txt");
        var result = CliProcess.Run("translate", "--model", fixture.Model, "--input", "/no/such/input.txt", "--output", output);
        AssertCleanFailure(result, 1, "/no/such/input.txt", "not found");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Model_folder_that_is_not_a_checkpoint()
    {
        var result = CliProcess.Run("translate", "--model", fixture.Directory.Path, "--input", "-");
        AssertCleanFailure(result, 1, fixture.Directory.Path, "is not a checkpoint or a training run");
    }

    [Fact]
    public void Corrupt_checkpoint_weights()
    {
        string copy = fixture.Directory.File("corrupt-model");
        string best = File.ReadAllText(Path.Combine(fixture.Model, "best.json"));
        string source = Path.Combine(fixture.Model, System.Text.Json.JsonDocument.Parse(best).RootElement.GetProperty("checkpoint").GetString()!);
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        string weights = Path.Combine(copy, "model.safetensors");
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..1000]);
        var result = CliProcess.Run("translate", "--model", copy, "--input", "-");
        AssertCleanFailure(result, 1, "model.safetensors", "corrupt or truncated");
    }

    [Fact]
    public void Score_with_mismatched_line_counts()
    {
        string source = fixture.Directory.WriteLines("mm.en", ["a", "b", "c"]);
        string target = fixture.Directory.WriteLines("mm.de", ["a", "b"]);
        string output = fixture.Directory.File("mm.jsonl");
        var result = CliProcess.Run("score", "--model", fixture.Model, "--source", source, "--target", target, "--output", output);
        AssertCleanFailure(result, 1, $"{source} has 3 lines but {target} has 2");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Train_on_an_empty_corpus()
    {
        string train = fixture.Directory.WriteLines("empty/train.en", []);
        fixture.Directory.WriteLines("empty/train.de", []);
        var result = CliProcess.Run("train", "--out", fixture.Directory.File("empty/run"),
            $"--Data:Train={fixture.Directory.File("empty/train")}", $"--Data:Valid={fixture.Directory.File("empty/train")}",
            "--Data:SourceLanguage=en", "--Data:TargetLanguage=de");
        AssertCleanFailure(result, 1, "empty");
    }

    [Fact]
    public void Train_with_invalid_utf8_names_file_and_line()
    {
        fixture.Directory.WriteLines("bad/train.en", ["one", "two"]);
        File.WriteAllBytes(fixture.Directory.File("bad/train.de"), [.. "eins\n"u8, 0xC0, 0xAF, .. "\n"u8]);
        var result = CliProcess.Run("train", "--out", fixture.Directory.File("bad/run"),
            $"--Data:Train={fixture.Directory.File("bad/train")}", $"--Data:Valid={fixture.Directory.File("bad/train")}",
            "--Data:SourceLanguage=en", "--Data:TargetLanguage=de");
        AssertCleanFailure(result, 1, "train.de:2:", "invalid UTF-8");
    }

    [Fact]
    public void Unknown_command_line_option()
    {
        AssertCleanFailure(CliProcess.Run("translate", "--model", fixture.Model, "--beem", "4"), 2, "--beem");
    }

    [Fact]
    public void Unknown_configuration_key_and_section()
    {
        AssertCleanFailure(CliProcess.Run("train", "--out", fixture.Directory.File("cfg1"), "--Training:LearningRat=0.1"), 1, "LearningRat");
        AssertCleanFailure(CliProcess.Run("train", "--out", fixture.Directory.File("cfg2"), "--Trainin:LearningRate=0.1"), 1, "unknown configuration section 'Trainin'");
    }

    [Fact]
    public void Configuration_value_of_the_wrong_type_or_range()
    {
        string config = fixture.Directory.File("bad-config.json");
        File.WriteAllText(config, """{ "Training": { "MaxEpochs": "many" } }""");
        AssertCleanFailure(CliProcess.Run("train", "--config", config, "--out", fixture.Directory.File("cfg3")), 1, "MaxEpochs");
        AssertCleanFailure(CliProcess.Run("train", "--out", fixture.Directory.File("cfg4"), "--Training:LabelSmoothing=2"), 1, "LabelSmoothing");
    }

    [Fact]
    public void Missing_configuration_file()
    {
        AssertCleanFailure(CliProcess.Run("train", "--config", "/no/config.json", "--out", fixture.Directory.File("cfg5")), 1, "/no/config.json");
    }

    [Fact]
    public void Invalid_search_options()
    {
        AssertCleanFailure(CliProcess.Run("translate", "--model", fixture.Model, "--beam", "2", "--n-best", "3"), 1, "NBest");
    }

    [Fact]
    public void Score_with_invalid_utf8_names_the_file_and_line_and_writes_nothing()
    {
        string source = fixture.Directory.WriteLines("sbad.en", [fixture.Test[0].En, fixture.Test[1].En]);
        string target = fixture.Directory.File("sbad.de");
        File.WriteAllBytes(target, [.. System.Text.Encoding.UTF8.GetBytes(fixture.Test[0].De + "\n"), 0xE2, 0x28, 0xA1, .. "\n"u8]);
        string output = fixture.Directory.File("sbad.jsonl");
        AssertCleanFailure(CliProcess.Run("score", "--model", fixture.Model, "--source", source, "--target", target, "--output", output), 1, "sbad.de:2:", "invalid UTF-8");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Score_accepts_bom_and_crlf_with_the_same_result()
    {
        string[] en = [fixture.Test[0].En, fixture.Test[1].En], de = [fixture.Test[0].De, fixture.Test[1].De];
        string plainSource = fixture.Directory.WriteLines("plain.en", en), plainTarget = fixture.Directory.WriteLines("plain.de", de);
        string windowsSource = fixture.Directory.File("windows.en"), windowsTarget = fixture.Directory.File("windows.de");
        File.WriteAllText(windowsSource, "\uFEFF" + string.Join("\r\n", en) + "\r\n");
        File.WriteAllText(windowsTarget, "\uFEFF" + string.Join("\r\n", de) + "\r\n");
        var plain = CliProcess.Run("score", "--model", fixture.Model, "--source", plainSource, "--target", plainTarget);
        var windows = CliProcess.Run("score", "--model", fixture.Model, "--source", windowsSource, "--target", windowsTarget);
        Assert.True(windows.ExitCode == 0, windows.ToString());
        Assert.Equal(plain.Output, windows.Output);
    }

    [Fact]
    public void Attention_on_a_binary_line_or_blank_text_fails_clearly()
    {
        string binary = fixture.Directory.File("binary.txt");
        File.WriteAllBytes(binary, [.. "fine\n"u8, 0x00, 0x01, 0x02, .. "\n"u8]);
        AssertCleanFailure(CliProcess.Run("attention", "--model", fixture.Model, "--input", binary, "--line", "2", "--out", fixture.Directory.File("b.png")), 1, "binary.txt:2:", "NUL byte");
        AssertCleanFailure(CliProcess.Run("attention", "--model", fixture.Model, "--text", "   ", "--out", fixture.Directory.File("blank.png")), 1, "empty");
        Assert.False(File.Exists(fixture.Directory.File("blank.png")));
    }

    [Fact]
    public void Train_on_a_binary_file_names_the_file_and_line()
    {
        fixture.Directory.WriteLines("bin/train.en", ["one", "two"]);
        File.WriteAllBytes(fixture.Directory.File("bin/train.de"), [.. "eins\n"u8, 0x7F, 0x45, 0x4C, 0x46, 0x00, 0x02, .. "\n"u8]);
        var result = CliProcess.Run("train", "--out", fixture.Directory.File("bin/run"),
            $"--Data:Train={fixture.Directory.File("bin/train")}", $"--Data:Valid={fixture.Directory.File("bin/train")}",
            "--Data:SourceLanguage=en", "--Data:TargetLanguage=de");
        AssertCleanFailure(result, 1, "train.de:2:", "NUL byte");
    }
}
