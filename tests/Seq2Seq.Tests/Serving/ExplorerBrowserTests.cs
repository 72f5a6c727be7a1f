using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Seq2Seq.Tests.Serving;

/// <summary>
/// The explorer in a real browser: headless Chromium (Debian's <c>/usr/bin/chromium</c>, driven by Playwright) loads
/// the page from the running service, types a sentence, waits for the translation and hovers tokens.
/// </summary>
[Collection(ServiceCollection.Name)]
public class ExplorerBrowserTests(ServiceFixture fixture)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Typing_a_sentence_shows_translation_n_best_and_attention_on_hover()
    {
        Assert.True(File.Exists(Chromium),
            $"{Chromium} is missing: this test needs headless Chromium; install the Debian package `chromium` (apt-get install chromium)");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync();
        // Generous limits: on a 2-core CI machine the browser shares the cores with the rest of the suite.
        page.SetDefaultTimeout(120_000);
        SetDefaultExpectTimeout(60_000);
        var failed = new List<string>();
        page.RequestFailed += (_, r) => failed.Add(r.Url);
        await page.GotoAsync(fixture.Service.Address.ToString());

        // The options of the rich `translate` run, so its JSONL line is the expected answer.
        var expected = JsonNode.Parse(fixture.Rich[0])!;
        await page.Locator("#beam").FillAsync("4");
        await page.Locator("#n-best").FillAsync("3");
        await page.Locator("#length-penalty").FillAsync("0.6");
        await page.Locator("#source").PressSequentiallyAsync(fixture.Sentences[0]);
        await Expect(page.Locator("#translation")).ToHaveTextAsync(expected["translation"]!.GetValue<string>(), new() { Timeout = 120_000 });

        var hypotheses = expected["n_best"]!.AsArray();
        var rows = page.Locator("#nbest tr.hypothesis");
        await Expect(rows).ToHaveCountAsync(hypotheses.Count);
        for (int k = 0; k < hypotheses.Count; k++)
        {
            await Expect(rows.Nth(k).Locator("td").Nth(1)).ToHaveTextAsync(hypotheses[k]!["translation"]!.GetValue<string>());
            await Expect(rows.Nth(k).Locator("td").Nth(2)).ToHaveTextAsync(hypotheses[k]!["score"]!.GetValue<double>().ToString("0.000", CultureInfo.InvariantCulture));
        }

        // Hovering the first target token highlights the source tokens it attends to, the strongest in bold.
        var view = page.Locator("#heatmap section.sentence[data-index=\"0\"] div.view[data-view=\"pieces\"]");
        await view.Locator("th.tgt[data-t=\"0\"]").HoverAsync();
        var row = expected["attention"]!["weights"]![0]!.AsArray().Select(w => Math.Round(w!.GetValue<double>(), 4)).ToList();
        var attended = Enumerable.Range(0, row.Count).Where(s => row[s] >= 0.01).Select(s => s.ToString(CultureInfo.InvariantCulture));
        int strongest = row.IndexOf(row.Max());
        await Expect(view.Locator("th.src.hl")).ToHaveCountAsync(attended.Count());
        Assert.Equal(attended, await view.Locator("th.src.hl").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.s)"));
        Assert.Equal(strongest.ToString(CultureInfo.InvariantCulture), await view.Locator("th.src.hl-max").GetAttributeAsync("data-s"));

        // Choosing the second hypothesis shows its heatmap; the word view is one click away.
        await rows.Nth(1).ClickAsync();
        await Expect(page.Locator("#heatmap section.sentence[data-index=\"1\"]")).ToBeVisibleAsync();
        await Expect(page.Locator("#heatmap section.sentence[data-index=\"0\"]")).ToBeHiddenAsync();
        await page.Locator("#view-words").CheckAsync();
        await Expect(page.Locator("#heatmap section.sentence[data-index=\"1\"] div.view[data-view=\"words\"]")).ToBeVisibleAsync();
        Assert.Empty(failed);
    }

    [Fact]
    public async Task Typing_the_start_of_a_translation_completes_it_and_offers_next_words_to_click()
    {
        Assert.True(File.Exists(Chromium),
            $"{Chromium} is missing: this test needs headless Chromium; install the Debian package `chromium` (apt-get install chromium)");
        string source = fixture.Sentences[1];
        // What the page should show: the API's answer for the page's default options and the typed prefix.
        var expected = JsonNode.Parse((await fixture.Service.TranslateAsync(
            $$"""{ "texts": {{ServiceFixture.Texts([source])}}, "prefixes": ["Die "], "alternatives": 5, "beam": 5, "n_best": 5 }"""))[0])!;
        var words = expected["alternatives"]!.AsArray().Select(a => a!["word"]!.GetValue<string>()).ToList();
        Assert.True(words.Count >= 2, expected.ToJsonString());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1100, Height = 900 } });
        page.SetDefaultTimeout(120_000);
        SetDefaultExpectTimeout(60_000);
        await page.GotoAsync(fixture.Service.Address.ToString());
        await page.Locator("#source").FillAsync(source);
        await page.Locator("#translate").ClickAsync();
        // The free translation comes with its first words on offer.
        await Expect(page.Locator("#alternatives button.alternative").First).ToBeVisibleAsync();

        await page.Locator("#prefix").PressSequentiallyAsync("Die ");
        await Expect(page.Locator("#completion")).ToHaveTextAsync(expected["translation"]!.GetValue<string>());
        await Expect(page.Locator("#completion .typed")).ToHaveTextAsync("Die");
        var buttons = page.Locator("#alternatives button.alternative");
        await Expect(buttons).ToHaveCountAsync(words.Count);
        Assert.Equal(words, await buttons.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.word)"));

        // Clicking an alternative puts it into the prefix, and the completion goes on from it.
        await buttons.Nth(1).ClickAsync();
        await Expect(page.Locator("#prefix")).ToHaveValueAsync($"Die {words[1]} ");
        await Expect(page.Locator("#completion .typed")).ToHaveTextAsync($"Die {words[1]}");
        await Expect(page.Locator("#translation")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($"^Die {System.Text.RegularExpressions.Regex.Escape(words[1])}( |$)"));
        await Expect(page.Locator("#heatmap th.tgt").First).ToBeVisibleAsync();

        // Tab takes the completion's next word.
        string before = await page.Locator("#prefix").InputValueAsync();
        string completed = await page.Locator("#translation").InnerTextAsync();
        await page.Locator("#prefix").PressAsync("Tab");
        if (completed.Split(' ').Length > 2)
            await Expect(page.Locator("#prefix")).ToHaveValueAsync(string.Join(' ', completed.Split(' ').Take(3)) + " ");
        else
            await Expect(page.Locator("#prefix")).ToHaveValueAsync(before);

        // The screenshot of the README and docs/serve.md (SEQ2SEQ_SCREENSHOTS=docs writes it there).
        string folder = Environment.GetEnvironmentVariable("SEQ2SEQ_SCREENSHOTS") ?? fixture.Trained.Directory.Path;
        string screenshot = Path.Combine(folder, "explorer-interactive.png");
        await Expect(page.Locator("#status")).ToHaveTextAsync("");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }
}
