using System.Globalization;
using System.Text;

namespace Seq2Seq.Inspection;

/// <summary>
/// Draws one or several attention matrices as a single self-contained HTML page (inline CSS and script, no
/// network): a sentence <c>&lt;select id="sentence"&gt;</c>, a subword/word toggle (radio inputs
/// <c>#view-pieces</c> and <c>#view-words</c>; both tables are in the page), a colour legend, and per sentence a
/// <c>section.sentence[data-index=i]</c> with one <c>div.view[data-view=pieces|words]</c> table each.
/// In a table, target tokens are <c>th.tgt[data-t=i]</c>, source tokens <c>th.src[data-s=j]</c> and cells
/// <c>td.cell[data-t][data-s][data-w]</c> (tooltip: the weight). Hovering a target token gives the source
/// tokens it attends to the class <c>hl</c>, the cell's colour and <c>data-hw</c> (the weight), and the most
/// attended one also <c>hl-max</c>; hovering a source token does the same for the target tokens attending to
/// it. Source words flagged by <see cref="AttentionMatrix.Coverage"/> carry the class <c>under</c> or <c>over</c>.
/// </summary>
public static class HeatmapHtml
{
    /// <summary>Weights below this do not highlight a token on hover (they would only add noise).</summary>
    public const double HighlightThreshold = 0.01;

    /// <summary>Writes the page for one sentence to <paramref name="path"/> (atomically).</summary>
    public static void Save(AttentionMatrix matrix, string path)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        Save([matrix], path);
    }

    /// <summary>Writes the page for several sentences to <paramref name="path"/> (atomically).</summary>
    public static void Save(IReadOnlyList<AttentionMatrix> sentences, string path) =>
        Seq2Seq.IO.AtomicFile.WriteAllText(path, Render(sentences));

    /// <summary>The HTML page of <paramref name="sentences"/> (at least one).</summary>
    public static string Render(IReadOnlyList<AttentionMatrix> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        if (sentences.Count == 0) throw new ArgumentException("there is no sentence to draw");
        for (int i = 0; i < sentences.Count; i++)
            if (sentences[i] is null) throw new ArgumentException($"sentence {i} is null");

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Attention (").Append(Count(sentences.Count, "sentence")).Append(")</title>\n")
            .Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n")
            .Append(Body(sentences))
            .Append("<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The page's stylesheet, for pages that embed <see cref="Body"/> (the service's explorer).</summary>
    internal static string Stylesheet => Css;

    /// <summary>
    /// The page's script (hover highlighting, view toggle, selector). It listens on the document, so markup from
    /// <see cref="Body"/> inserted later works without running it again.
    /// </summary>
    internal static string Behavior => Script;

    /// <summary>
    /// The controls and the sentences of the page, without head and script: what the explorer inserts for one
    /// sentence's n-best list. <paramref name="titles"/> name the selector's entries (default: the source
    /// sentences); <paramref name="selectorLabel"/> labels the selector.
    /// </summary>
    internal static string Body(IReadOnlyList<AttentionMatrix> sentences, IReadOnlyList<string>? titles = null, string selectorLabel = "Sentence")
    {
        ArgumentNullException.ThrowIfNull(sentences);
        if (sentences.Count == 0) throw new ArgumentException("there is no sentence to draw");
        if (titles is not null && titles.Count != sentences.Count) throw new ArgumentException("there must be one title per sentence");
        var html = new StringBuilder();
        Controls(html, sentences, titles, selectorLabel);
        html.Append("<main>\n");
        for (int i = 0; i < sentences.Count; i++) Sentence(html, sentences[i], i);
        html.Append("</main>\n");
        return html.ToString();
    }

    private static void Controls(StringBuilder html, IReadOnlyList<AttentionMatrix> sentences, IReadOnlyList<string>? titles, string selectorLabel)
    {
        html.Append("<header class=\"controls\">\n<label>").Append(MarkupText.Html(selectorLabel)).Append(" <select id=\"sentence\">\n");
        for (int i = 0; i < sentences.Count; i++)
        {
            string text = titles?[i] ?? Sentence(sentences[i].ToWords().SourceTokens);
            if (text.Length > 80) text = text[..77] + "...";
            html.Append(Invariant($"<option value=\"{i}\"")).Append(i == 0 ? " selected" : "").Append('>')
                .Append(Invariant($"{i + 1}. ")).Append(MarkupText.Html(text)).Append("</option>\n");
        }
        html.Append("</select></label>\n")
            .Append("<fieldset id=\"view-toggle\"><legend>Tokens</legend>\n")
            .Append("<label><input type=\"radio\" name=\"view\" id=\"view-pieces\" value=\"pieces\" checked> subwords</label>\n")
            .Append("<label><input type=\"radio\" name=\"view\" id=\"view-words\" value=\"words\"> words</label>\n")
            .Append("</fieldset>\n")
            .Append("<div class=\"legend\" id=\"legend\"><span class=\"legend-title\">attention weight</span> <span>0</span>")
            .Append("<span class=\"legend-bar\" style=\"background: linear-gradient(to right, ")
            .Append(string.Join(", ", ColorScale.Stops)).Append(")\"></span><span>1</span></div>\n")
            .Append("<p class=\"hint\">Hover a token to see where its attention goes; hover a cell for its weight. ")
            .Append("Source words marked <span class=\"under\">wavy</span> received little attention (under-translated?), ")
            .Append("<span class=\"over\">double</span> a lot (over-translated?).</p>\n")
            .Append("</header>\n");
    }

    private static void Sentence(StringBuilder html, AttentionMatrix pieces, int index)
    {
        var words = pieces.ToWords();
        var coverage = pieces.Coverage();
        var sourceCoverage = coverage.SourceWords.ToDictionary(w => w.Index);
        int[] wordOfPiece = pieces.IsWordLevel
            ? [.. Enumerable.Range(0, pieces.SourceTokens.Count)]
            : Subwords.WordIndexes(pieces.SourceTokens);

        html.Append(Invariant($"<section class=\"sentence\" id=\"sentence-{index}\" data-index=\"{index}\""))
            .Append(index == 0 ? "" : " hidden").Append(">\n")
            .Append("<p class=\"text\"><span class=\"side\">source</span> ").Append(MarkupText.Html(Sentence(words.SourceTokens))).Append("</p>\n")
            .Append("<p class=\"text\"><span class=\"side\">target</span> ").Append(MarkupText.Html(Sentence(words.TargetTokens))).Append("</p>\n");
        Table(html, pieces, "pieces", hidden: false, s => sourceCoverage.GetValueOrDefault(wordOfPiece[s]), coverage.TargetTokens);
        Table(html, words, "words", hidden: true, s => sourceCoverage.GetValueOrDefault(s), words.Coverage().TargetTokens);
        if (coverage.UnderTranslated.Count > 0 || coverage.OverTranslated.Count > 0)
        {
            html.Append("<p class=\"coverage\">");
            if (coverage.UnderTranslated.Count > 0)
                html.Append("Little attention: ").Append(MarkupText.Html(string.Join(", ", coverage.UnderTranslated))).Append(". ");
            if (coverage.OverTranslated.Count > 0)
                html.Append("Much attention: ").Append(MarkupText.Html(string.Join(", ", coverage.OverTranslated))).Append('.');
            html.Append("</p>\n");
        }
        html.Append("</section>\n");
    }

    private static void Table(StringBuilder html, AttentionMatrix matrix, string view, bool hidden,
        Func<int, SourceWordCoverage?> sourceCoverage, IReadOnlyList<TargetEntropy> entropies)
    {
        var sourceLabels = matrix.SourceLabels;
        var targetLabels = matrix.TargetLabels;
        html.Append("<div class=\"view\" data-view=\"").Append(view).Append('"').Append(hidden ? " hidden" : "").Append(">\n")
            .Append("<table class=\"attn\">\n<thead><tr><th class=\"corner\"></th>");
        for (int s = 0; s < sourceLabels.Count; s++)
        {
            var cover = sourceCoverage(s);
            string flag = cover?.Status switch { CoverageStatus.Under => " under", CoverageStatus.Over => " over", _ => "" };
            string title = cover is null
                ? sourceLabels[s]
                : Invariant($"{sourceLabels[s]}: the word {cover.Word} received {cover.Received:0.###} in total");
            html.Append(Invariant($"<th class=\"src{flag}\" data-s=\"{s}\" title=\"")).Append(MarkupText.Html(title)).Append("\"><span>")
                .Append(MarkupText.Html(sourceLabels[s])).Append("</span></th>");
        }
        html.Append("</tr></thead>\n<tbody>\n");
        for (int t = 0; t < targetLabels.Count; t++)
        {
            string title = Invariant($"{targetLabels[t]}: attention entropy {entropies[t].Entropy:0.###} nats");
            html.Append(Invariant($"<tr><th class=\"tgt\" data-t=\"{t}\" title=\"")).Append(MarkupText.Html(title)).Append("\">")
                .Append(MarkupText.Html(targetLabels[t])).Append("</th>");
            for (int s = 0; s < sourceLabels.Count; s++)
            {
                float w = matrix.Weights[t, s];
                string weight = w.ToString("0.####", CultureInfo.InvariantCulture);
                html.Append(ColorScale.PrefersLightText(w) ? "<td class=\"cell dark\"" : "<td class=\"cell\"")
                    .Append(Invariant($" data-t=\"{t}\" data-s=\"{s}\" data-w=\"{weight}\" style=\"background-color: {ColorScale.Hex(w)}\" title=\""))
                    .Append(MarkupText.Html($"{targetLabels[t]} → {sourceLabels[s]}: {weight}")).Append("\"></td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n</div>\n");
    }

    /// <summary>Words joined by spaces, without the control tokens: a readable rendering of one side.</summary>
    private static string Sentence(IReadOnlyList<string> words) =>
        string.Join(' ', words.Where(w => !Subwords.IsControl(w)));

    private static string Count(int n, string noun) => Invariant($"{n} {noun}{(n == 1 ? "" : "s")}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private const string Css = """
        :root { font-family: 'DejaVu Sans', 'Noto Sans', system-ui, sans-serif; font-size: 14px; color: #222; background: #fff; }
        body { margin: 16px; }
        [hidden] { display: none !important; }
        .controls { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: center; margin-bottom: 12px; }
        .controls fieldset { border: 1px solid #ccc; padding: 2px 8px; margin: 0; }
        .controls legend { font-size: 12px; color: #555; }
        .hint { flex-basis: 100%; margin: 0; font-size: 12px; color: #555; }
        .legend { display: flex; align-items: center; gap: 6px; font-size: 12px; }
        .legend-bar { display: inline-block; width: 200px; height: 12px; border: 1px solid #555; }
        .text { margin: 4px 0; }
        .side { display: inline-block; width: 5em; color: #777; font-size: 12px; }
        .view { overflow-x: auto; margin-top: 8px; }
        table.attn { border-collapse: collapse; }
        table.attn td.cell { width: 22px; min-width: 22px; height: 22px; padding: 0; border: 1px solid #fff; }
        table.attn th { font-weight: normal; white-space: nowrap; cursor: default; border-radius: 3px; }
        th.tgt { text-align: right; padding: 0 6px; }
        th.src { vertical-align: bottom; padding: 4px 0; }
        th.src span { display: inline-block; writing-mode: vertical-rl; transform: rotate(180deg); }
        .hl { box-shadow: inset 0 0 0 1px #08306b; }
        .hl.light-text { color: #fff; }
        .hl-max { font-weight: bold; }
        .active { box-shadow: inset 0 0 0 2px #e6550d; }
        td.cell.active { box-shadow: inset 0 0 0 2px #e6550d; }
        .under { text-decoration: underline wavy #d62728; }
        .over { text-decoration: underline double #6a3d9a; }
        .coverage { font-size: 12px; color: #555; }

        """;

    // Delegated mouseover handlers: mouseover bubbles (mouseenter does not), so one listener serves every table.
    private const string Script = """
        (function () {
          'use strict';
          var MIN = 0.01;
          var activeTable = null;

          function currentView() {
            var checked = document.querySelector('input[name="view"]:checked');
            return checked ? checked.value : 'pieces';
          }

          function show() {
            var select = document.getElementById('sentence');
            if (!select) return;
            var index = select.value, view = currentView();
            document.querySelectorAll('section.sentence').forEach(function (s) { s.hidden = s.dataset.index !== index; });
            document.querySelectorAll('div.view').forEach(function (v) { v.hidden = v.dataset.view !== view; });
          }

          function clear(table) {
            table.querySelectorAll('.hl, .hl-max, .active').forEach(function (el) {
              el.classList.remove('hl', 'hl-max', 'active', 'light-text');
              el.style.removeProperty('background-color');
              delete el.dataset.hw;
            });
          }

          // Paints the tokens on the other side by the cells of the hovered token's row (or column).
          function highlight(table, cells, selector, key) {
            var best = null, bestWeight = 0;
            cells.forEach(function (cell) {
              var w = parseFloat(cell.dataset.w);
              var other = table.querySelector(selector + '[data-' + key + '="' + cell.dataset[key] + '"]');
              if (!other || !(w >= MIN)) return;
              other.classList.add('hl');
              other.style.backgroundColor = cell.style.backgroundColor;
              if (cell.classList.contains('dark')) other.classList.add('light-text');
              other.dataset.hw = cell.dataset.w;
              if (w > bestWeight) { best = other; bestWeight = w; }
            });
            if (best) best.classList.add('hl-max');
          }

          function hover(el, table) {
            el.classList.add('active');
            if (el.classList.contains('tgt')) {
              highlight(table, table.querySelectorAll('td.cell[data-t="' + el.dataset.t + '"]'), 'th.src', 's');
            } else if (el.classList.contains('src')) {
              highlight(table, table.querySelectorAll('td.cell[data-s="' + el.dataset.s + '"]'), 'th.tgt', 't');
            } else {
              var t = table.querySelector('th.tgt[data-t="' + el.dataset.t + '"]');
              var s = table.querySelector('th.src[data-s="' + el.dataset.s + '"]');
              if (t) t.classList.add('active');
              if (s) s.classList.add('active');
            }
          }

          document.addEventListener('mouseover', function (event) {
            var node = event.target instanceof Element ? event.target : null;
            var el = node ? node.closest('th.tgt, th.src, td.cell') : null;
            var table = el ? el.closest('table.attn') : null;
            if (activeTable) clear(activeTable);
            activeTable = table;
            if (el && table) hover(el, table);
          });

          // Delegated too, so a page that replaces the heatmap markup keeps working.
          document.addEventListener('change', function (event) {
            var node = event.target instanceof Element ? event.target : null;
            if (node && node.matches('#sentence, input[name="view"]')) show();
          });
          show();
        })();

        """;
}
