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
}
