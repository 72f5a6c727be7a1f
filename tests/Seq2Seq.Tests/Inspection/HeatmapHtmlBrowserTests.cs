using Seq2Seq.Tests.Support;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Seq2Seq.Inspection;

namespace Seq2Seq.Tests.Inspection;

/// <summary>
/// Loads the generated page in headless Chromium and hovers tokens through the page's own event handlers.
/// Needs the Debian package <c>chromium</c>.
/// </summary>
public class HeatmapHtmlBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    // Appended to a copy of the page: hovers tokens, toggles the view and reports what the page did.
    private const string Probe = """
        <script>
        window.addEventListener('load', function () {
          function ids(view, selector, key) {
            return Array.from(view.querySelectorAll(selector)).map(function (e) { return e.dataset[key]; }).join(',');
          }
          var lines = [];
          var pieces = document.querySelector('section.sentence[data-index="0"] div.view[data-view="pieces"]');
          pieces.querySelector('th.tgt[data-t="0"]').dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
          lines.push('tgt0 hl=' + ids(pieces, 'th.src.hl', 's') + ' max=' + ids(pieces, 'th.src.hl-max', 's'));
          var max = pieces.querySelector('th.src.hl-max');
          lines.push('tgt0 maxtext=' + (max ? max.textContent : '') + ' maxw=' + (max ? max.dataset.hw : '') +
            ' maxbg=' + (max ? max.style.backgroundColor : ''));
          pieces.querySelector('th.src[data-s="3"] span').dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
          lines.push('src3 hl=' + ids(pieces, 'th.tgt.hl', 't') + ' max=' + ids(pieces, 'th.tgt.hl-max', 't') +
            ' srcstill=' + ids(pieces, 'th.src.hl', 's'));
          document.body.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
          lines.push('away hl=' + document.querySelectorAll('.hl').length);
          var words = document.getElementById('view-words');
          words.checked = true;
          words.dispatchEvent(new Event('change', { bubbles: true }));
          lines.push('words visible=' + !document.querySelector('section.sentence[data-index="0"] div.view[data-view="words"]').hidden +
            ' pieces visible=' + !pieces.hidden);
          var select = document.getElementById('sentence');
          select.value = '1';
          select.dispatchEvent(new Event('change', { bubbles: true }));
          lines.push('sentence1 visible=' + !document.getElementById('sentence-1').hidden +
            ' sentence0 visible=' + !document.getElementById('sentence-0').hidden);
          var out = document.createElement('pre');
          out.id = 'probe-result';
          out.textContent = lines.join('\n');
          document.body.appendChild(out);
        });
        </script>
        """;

    [Fact]
    public void Hovering_tokens_highlights_what_they_attend_to()
    {
        Assert.True(File.Exists(Chromium),
            $"{Chromium} is missing: this test needs headless Chromium; install the Debian package `chromium` (apt-get install chromium)");

        using var folder = new TempDirectory();
        string html = HeatmapHtml.Render([SampleMatrices.RedHouse(), SampleMatrices.BarkingDog()]);
        int end = html.LastIndexOf("</body>", StringComparison.Ordinal);
        string probed = html[..end] + Probe + html[end..];
        string page = folder.File("probe.html");
        File.WriteAllText(page, probed);

        string dom = DumpDom(page, folder.File("chromium-profile"));
        var result = Regex.Match(dom, "<pre id=\"probe-result\">(.*?)</pre>", RegexOptions.Singleline);
        Assert.True(result.Success, $"the probe did not report; dumped DOM:\n{dom}");
        string[] lines = WebUtility.HtmlDecode(result.Groups[1].Value).Split('\n');

        // Row "a" = 0.7 ein, 0.1 ro, 0 tes, 0.1 Haus, 0.1 </s>: tes stays plain, ein is the strongest.
        Assert.Equal("tgt0 hl=0,1,3,4 max=0", lines[0]);
        Assert.Equal($"tgt0 maxtext=ein maxw=0.7 maxbg={CssRgb(ColorScale.Rgb(0.7))}", lines[1]);
        // Column "Haus" = 0.1 a, 0.1 red, 0.6 hou, 0.7 se, 0.2 </s>; the previous highlight is gone.
        Assert.Equal("src3 hl=0,1,2,3,4 max=3 srcstill=", lines[2]);
        Assert.Equal("away hl=0", lines[3]);
        Assert.Equal("words visible=true pieces visible=false", lines[4]);
        Assert.Equal("sentence1 visible=true sentence0 visible=false", lines[5]);
    }

    private static string CssRgb((byte R, byte G, byte B) c) => $"rgb({c.R}, {c.G}, {c.B})";

    private static string DumpDom(string page, string profile)
    {
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-extensions", "--virtual-time-budget=5000", $"--user-data-dir={profile}",
            "--dump-dom", new Uri(page).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Chromium}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"chromium did not finish within 60 s; stderr:\n{error.Result}");
        }
        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}; stderr:\n{error.Result}");
        return output.Result;
    }
}
