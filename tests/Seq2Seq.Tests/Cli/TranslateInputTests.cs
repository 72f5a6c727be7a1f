using System.Text;
using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Cli;

/// <summary>
/// translate-file is fed whatever users have: every line that can be translated is, the output always has
/// one line per input line, and what could not be handled is named by line number.
/// </summary>
[Collection(TrainedModelCollection.Name)]
public class TranslateInputTests(TrainedModelFixture fixture)
{
    private string Sentence(int i) => fixture.Test[i].En;

    private (CliResult Result, string[] Lines) Translate(string name, byte[] input, params string[] extra)
    {
        string inputPath = fixture.Directory.File(name);
        File.WriteAllBytes(inputPath, input);
        string output = fixture.Directory.File(name + ".out");
        var result = CliProcess.Run(["translate", "--model", fixture.Model, "--input", inputPath, "--output", output, "--beam", "2", .. extra]);
        string[] lines = File.Exists(output) ? File.ReadAllText(output).Split('\n')[..^1] : [];
        return (result, lines);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Invalid_utf8_and_nul_lines_become_empty_lines_with_a_warning_and_exit_code_3()
    {
        byte[] input = [.. Utf8(Sentence(0) + "\n"), 0xFF, 0xFE, .. "x\n"u8, .. Utf8(Sentence(1) + "\n"), .. "a\0b\n"u8, .. Utf8(Sentence(2) + "\n")];
        var (result, lines) = Translate("mixed.txt", input);
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("mixed.txt:2: invalid UTF-8", result.Error);
        Assert.Contains("mixed.txt:4: contains a NUL byte", result.Error);
        Assert.Equal(5, lines.Length);
        Assert.Equal("", lines[1]);
        Assert.Equal("", lines[3]);
        Assert.All(new[] { lines[0], lines[2], lines[4] }, line => Assert.NotEqual("", line));
    }

    [Fact]
    public void A_binary_file_gives_one_empty_line_per_line_and_a_non_zero_exit()
    {
        var random = new Random(5);
        byte[] input = new byte[3000];
        random.NextBytes(input);
        int expectedLines = input.Count(b => b == '\n') + (input[^1] == '\n' ? 0 : 1);
        var (result, lines) = Translate("binary.bin", input);
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("could not be read as UTF-8 text", result.Error);
        Assert.Equal(expectedLines, lines.Length);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public void Bom_and_crlf_do_not_change_the_translation()
    {
        string text = string.Join("\n", Enumerable.Range(0, 4).Select(Sentence)) + "\n";
        var (_, plain) = Translate("plain.txt", Utf8(text));
        var (result, windows) = Translate("windows.txt", [0xEF, 0xBB, 0xBF, .. Utf8(text.Replace("\n", "\r\n"))]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(plain, windows);
    }

    [Fact]
    public void Empty_and_whitespace_only_lines_give_empty_lines()
    {
        var (result, lines) = Translate("blank.txt", Utf8($"\n   \n\t\n{Sentence(0)}\n\n"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["", "", ""], lines[..3]);
        Assert.NotEqual("", lines[3]);
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public void An_empty_file_gives_an_empty_file()
    {
        var (result, lines) = Translate("nothing.txt", []);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(lines);
        Assert.True(File.Exists(fixture.Directory.File("nothing.txt.out")));
    }

    [Fact]
    public void An_over_long_line_is_truncated_with_a_warning_naming_it()
    {
        string longLine = string.Join(" ", Enumerable.Repeat(Sentence(3), 100_000 / Sentence(3).Length + 1))[..100_000];
        var (result, lines) = Translate("long.txt", Utf8($"{Sentence(0)}\n{longLine}\n{Sentence(1)}\n"), "--max-source-tokens", "60");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("long.txt: line 2 had more than 60 subword tokens", result.Error);
        Assert.Equal(3, lines.Length);
        Assert.NotEqual("", lines[1]);
    }

    [Fact]
    public void Output_is_byte_identical_across_runs_and_batch_sizes()
    {
        string text = string.Join("\n", Enumerable.Range(0, 30).Select(Sentence)) + "\n";
        foreach (string format in new[] { "text", "jsonl" })
        {
            var outputs = new List<string>();
            foreach (string batch in new[] { "1", "7", "64", "64" })
            {
                var (result, lines) = Translate($"determinism-{format}-{batch}.txt", Utf8(text), "--format", format, "--batch-size", batch);
                Assert.True(result.ExitCode == 0, result.ToString());
                outputs.Add(string.Join("\n", lines));
            }
            Assert.All(outputs, output => Assert.Equal(outputs[0], output));
        }
    }

    [Fact]
    public void Shards_concatenated_in_order_equal_the_unsharded_output()
    {
        string text = string.Join("\n", Enumerable.Range(0, 11).Select(Sentence)) + "\n";
        foreach (string[] format in new[] { new[] { "--format", "text" }, ["--format", "jsonl"], ["--n-best", "2"] })
        {
            var (_, whole) = Translate("shard-all.txt", Utf8(text), format);
            var parts = new List<string>();
            for (int i = 1; i <= 4; i++)
            {
                var (result, lines) = Translate("shard-all.txt", Utf8(text), [.. format, "--shard", $"{i}/4"]);
                Assert.True(result.ExitCode == 0, result.ToString());
                parts.AddRange(lines);
            }
            Assert.Equal(whole, parts);
        }
    }

    [Fact]
    public void Invalid_shards_are_refused()
    {
        foreach (string shard in new[] { "0/3", "4/3", "x", "1/0" })
        {
            var (result, _) = Translate("shard-bad.txt", Utf8("a\n"), "--shard", shard);
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("--shard", result.Error);
        }
    }

    [Fact]
    public void Decoding_in_bf16_translates_every_line()
    {
        var (result, lines) = Translate("bf16.txt", Utf8(string.Join("\n", Enumerable.Range(0, 5).Select(Sentence)) + "\n"), "--precision", "bf16");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(5, lines.Length);
        Assert.All(lines, line => Assert.NotEqual("", line));
    }
}
