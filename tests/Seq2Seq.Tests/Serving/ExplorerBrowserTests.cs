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
}
