using System.Text.Json;
using System.Xml.Linq;
using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Cli;

[Collection(TrainedModelCollection.Name)]
public class InspectionCliTests(TrainedModelFixture fixture)
{
    private string Input(string name, int lines) => fixture.Directory.WriteLines(name, fixture.Test.Take(lines).Select(p => p.En));

    [Fact]
    public void Translate_alignments_follow_a_tab_in_text_and_are_word_level_pharaoh_pairs()
    {
        string input = Input("align.en", 4);
        string output = fixture.Directory.File("align.txt");
        var result = CliProcess.Run("translate", "--model", fixture.Model, "--input", input, "--output", output, "--alignments");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = File.ReadAllLines(output);
        Assert.Equal(4, lines.Length);
        foreach (var (line, i) in lines.Select((l, i) => (l, i)))
        {
            var parts = line.Split('\t');
            Assert.Equal(2, parts.Length);
            int sourceWords = fixture.Test[i].En.Split(' ').Length, targetWords = parts[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            foreach (string pair in parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var (s, t) = (int.Parse(pair.Split('-')[0]), int.Parse(pair.Split('-')[1]));
                Assert.InRange(s, 0, sourceWords - 1);
                Assert.InRange(t, 0, targetWords - 1);
            }
            Assert.Equal(targetWords, parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length); // one link per target word
        }
    }

    [Fact]
    public void Translate_jsonl_carries_alignment_attention_and_coverage()
    {
        string input = Input("annotate.en", 3);
        string output = fixture.Directory.File("annotate.jsonl");
        var result = CliProcess.Run("translate", "--model", fixture.Model, "--input", input, "--output", output, "--format", "jsonl",
            "--alignments", "--attention", "--coverage");
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (string line in File.ReadAllLines(output))
        {
            var json = JsonDocument.Parse(line).RootElement;
            Assert.Equal(JsonValueKind.String, json.GetProperty("alignment").ValueKind);
            var attention = json.GetProperty("attention");
            var weights = attention.GetProperty("weights");
            Assert.Equal(json.GetProperty("tokens").GetArrayLength(), weights.GetArrayLength());
            Assert.Equal(attention.GetProperty("source_tokens").GetArrayLength(), weights[0].GetArrayLength());
            foreach (var row in weights.EnumerateArray()) Assert.Equal(1.0, row.EnumerateArray().Sum(w => w.GetDouble()), 4);
            var coverage = json.GetProperty("coverage");
            Assert.Equal(json.GetProperty("source").GetString()!.Split(' ').Length, coverage.GetProperty("source_words").GetArrayLength());
            Assert.Equal(JsonValueKind.Array, coverage.GetProperty("under_translated").ValueKind);
        }
    }

    [Fact]
    public void Translate_refuses_attention_output_in_text_format()
    {
        var result = CliProcess.Run("translate", "--model", fixture.Model, "--input", Input("refuse.en", 1), "--attention");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--format jsonl", result.Error);
    }

    [Fact]
    public void Attention_puts_several_sentences_into_one_html_page()
    {
        string input = Input("pages.en", 5);
        string page = fixture.Directory.File("pages.html");
        var result = CliProcess.Run("attention", "--model", fixture.Model, "--input", input, "--line", "1", "3", "5", "--out", page);
        Assert.True(result.ExitCode == 0, result.ToString());
        string html = File.ReadAllText(page);
        Assert.Equal(3, html.Split("<option").Length - 1);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(fixture.Test[4].En.Split(' ')[1]), html);
    }

    [Fact]
    public void Attention_word_view_labels_whole_words()
    {
        string svg = fixture.Directory.File("words.svg");
        string sentence = fixture.Test[2].En;
        var result = CliProcess.Run("attention", "--model", fixture.Model, "--text", sentence, "--view", "word", "--out", svg);
        Assert.True(result.ExitCode == 0, result.ToString());
        var labels = XDocument.Load(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        Assert.All(sentence.Split(' '), word => Assert.Contains(word, labels));
    }

    [Fact]
    public void Attention_refuses_several_sentences_in_a_png()
    {
        var result = CliProcess.Run("attention", "--model", fixture.Model, "--text", "a", "b", "--out", fixture.Directory.File("two.png"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(".html", result.Error);
    }
}
