using Seq2Seq.Inspection;

namespace Seq2Seq.Serving;

/// <summary>
/// The explorer page: self-contained (inline style and script, no network beyond this service). Type or paste
/// sentences (one per line) into <c>#source</c>; after a short pause, or on <c>#translate</c>, each line's
/// translation appears in <c>#results</c> (<c>li.result</c>), the selected one's in <c>#translation</c>, its n-best list
/// with scores in <c>#nbest</c> (<c>tr.hypothesis</c>, click to choose) and the chosen hypothesis's heatmap in
/// <c>#heatmap</c>, with <see cref="HeatmapHtml"/>'s own subword/word toggle, hover highlighting and coverage flags.
/// The selected translation can be post-edited: what the person types into <c>#prefix</c> (after a short pause) is
/// sent as the sentence's prefix, and its completion (<c>#completion</c>), its next-word alternatives
/// (<c>#alternatives button.alternative</c>: clicking one puts the word into the prefix; Tab takes the completion's next
/// word) and the heatmap follow.
/// Requests use relative paths, so the page works behind a reverse proxy under any prefix.
/// </summary>
public static class ExplorerPage
{
    /// <summary>The whole page.</summary>
    public static readonly string Html = $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Seq2Seq explorer</title>
        <style>
        {{HeatmapHtml.Stylesheet}}
        {{Css}}
        </style>
        </head>
        <body>
        <h1>Seq2Seq explorer</h1>
        <p id="model" class="model"></p>
        <form id="form">
        <textarea id="source" rows="4" placeholder="Type or paste sentences, one per line" autofocus></textarea>
        <div class="options">
        <label>beam <input id="beam" type="number" min="1" value="5"></label>
        <label>n-best <input id="n-best" type="number" min="1" value="5"></label>
        <label>length penalty <input id="length-penalty" type="number" min="0" max="10" step="0.1" value="1"></label>
        <button id="translate" type="submit">Translate</button>
        <span id="status" role="status"></span>
        </div>
        </form>
        <ol id="results"></ol>
        <section id="details" hidden>
        <p class="best"><span class="side">translation</span> <span id="translation"></span></p>
        <div class="post-edit">
        <label for="prefix" class="side">your translation</label>
        <input id="prefix" type="text" autocomplete="off" spellcheck="false" placeholder="Type the start of the translation: the rest is completed (Tab takes the next word)">
        <p id="completion"><span class="typed"></span><span class="rest"></span></p>
        <ul id="alternatives"></ul>
        </div>
        <table id="nbest"><thead><tr><th>#</th><th>hypothesis</th><th>score</th><th>log P</th></tr></thead><tbody></tbody></table>
        <div id="heatmap"></div>
        </section>
        <script>
        {{Script}}
        </script>
        <script>
        {{HeatmapHtml.Behavior}}
        </script>
        </body>
        </html>

        """;

    private const string Css = """
        h1 { font-size: 20px; margin: 0 0 4px; }
        .model { color: #666; font-size: 12px; margin: 0 0 12px; }
        #source { width: 100%; max-width: 60em; font: inherit; padding: 6px; box-sizing: border-box; }
        .options { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin: 6px 0 12px; }
        .options input { width: 4.5em; }
        #status { color: #b00; }
        #status.busy { color: #777; }
        #results { padding-left: 2em; }
        li.result { cursor: pointer; padding: 2px 4px; border-radius: 3px; }
        li.result.selected { background: #eef3fb; }
        li.result .tgt { color: #08306b; }
        .best { font-size: 16px; }
        #nbest { border-collapse: collapse; margin: 8px 0; }
        #nbest td, #nbest th { padding: 2px 8px; text-align: left; border-bottom: 1px solid #eee; }
        #nbest tr.hypothesis { cursor: pointer; }
        #nbest tr.chosen { background: #eef3fb; }
        #heatmap { margin-top: 8px; }
        .post-edit { margin: 8px 0; max-width: 60em; }
        .post-edit .side { display: block; width: auto; }
        #prefix { width: 100%; font: inherit; font-size: 16px; padding: 4px 6px; box-sizing: border-box; margin-top: 2px; }
        #completion { font-size: 16px; margin: 6px 0; }
        #completion .typed { color: #08306b; }
        #completion .rest { color: #888; }
        #alternatives { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-direction: column; gap: 3px; }
        button.alternative { font: inherit; cursor: pointer; border: 1px solid #c6d4ea; background: #f4f7fc; border-radius: 3px; padding: 1px 8px; min-width: 9em; text-align: left; }
        button.alternative .p { color: #777; font-size: 12px; margin-left: 6px; }
        #alternatives .then { color: #888; margin-left: 8px; }

        """;

    private const string Script = """
        (function () {
          'use strict';
          var form = document.getElementById('form'), source = document.getElementById('source');
          var status = document.getElementById('status'), results = document.getElementById('results');
          var details = document.getElementById('details'), heatmap = document.getElementById('heatmap');
          var nbest = document.querySelector('#nbest tbody'), translation = document.getElementById('translation');
          var prefix = document.getElementById('prefix'), completion = document.getElementById('completion');
          var alternatives = document.getElementById('alternatives');
          var answer = null, sequence = 0, timer = null, chosen = 0, editSequence = 0, editTimer = null;
          var offered = 5;

          function number(id) { return Number(document.getElementById(id).value); }
          function say(text, busy) { status.textContent = text; status.className = busy ? 'busy' : ''; }
          function cell(row, text) { var td = document.createElement('td'); td.textContent = text; row.appendChild(td); }

          function options() {
            var beam = number('beam');
            return { beam: beam, n_best: Math.min(number('n-best'), beam), length_penalty: number('length-penalty') };
          }

          // Posts to the explorer's back end; the answer, or null when it failed or a newer request has superseded it.
          async function explore(body, current) {
            try {
              var response = await fetch('v1/explore', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
              var json = await response.json();
              if (!current()) return null;
              if (!response.ok) { say(json.detail || response.statusText); return null; }
              say('');
              return json;
            } catch (e) {
              if (current()) say('The service did not answer: ' + e.message);
              return null;
            }
          }

          async function translate() {
            var texts = source.value.split('\n').map(function (s) { return s.trim(); }).filter(function (s) { return s.length > 0; });
            if (texts.length === 0) { say('Type a sentence first.'); return; }
            var mine = ++sequence;
            ++editSequence;
            say('translating\u2026', true);
            var json = await explore(Object.assign({ texts: texts }, options()), function () { return mine === sequence; });
            if (!json) return;
            answer = json;
            list();
            choose(0);
          }

          function list() {
            results.replaceChildren();
            answer.translations.forEach(function (t, i) {
              var li = document.createElement('li');
              li.className = 'result';
              li.dataset.index = i;
              var src = document.createElement('span'); src.className = 'src'; src.textContent = t.source;
              var tgt = document.createElement('span'); tgt.className = 'tgt'; tgt.textContent = t.translation;
              li.append(src, ' \u2192 ', tgt);
              li.addEventListener('click', function () { choose(i); });
              results.appendChild(li);
            });
          }

          // The chosen sentence again, forced to start with what the person typed, with the next words on offer.
          async function complete() {
            if (!answer) return;
            var i = chosen;
            var body = Object.assign({ texts: [answer.translations[i].source], prefixes: [prefix.value], alternatives: offered }, options());
            var mine = ++editSequence;
            say('completing\u2026', true);
            var json = await explore(body, function () { return mine === editSequence; });
            if (!json) return;
            answer.translations[i] = json.translations[0];
            answer.heatmaps[i] = json.heatmaps[0];
            list();
            show(i);
          }

          // The prefix with the word being typed (or, after a space, the next word) replaced by the given word.
          function take(word) {
            var typed = prefix.value, cut = /\s$/.test(typed) || typed === '' ? typed.length : typed.search(/\S+$/);
            prefix.value = typed.slice(0, cut) + word + ' ';
            clearTimeout(editTimer);
            complete();
          }

          function showEdit(t) {
            var typed = prefix.value, text = t.translation;
            var shared = typed.length > 0 && text.startsWith(typed.trimEnd()) ? typed.trimEnd().length : 0;
            completion.querySelector('.typed').textContent = text.slice(0, shared);
            completion.querySelector('.rest').textContent = text.slice(shared);
            alternatives.replaceChildren();
            (t.alternatives || []).forEach(function (a) {
              var li = document.createElement('li');
              var button = document.createElement('button');
              button.type = 'button';
              button.className = 'alternative';
              button.dataset.word = a.word;
              button.append(a.word);
              var p = document.createElement('span'); p.className = 'p'; p.textContent = a.probability >= 0.001 ? (100 * a.probability).toFixed(1) + '%' : '<0.1%';
              button.appendChild(p);
              button.addEventListener('click', function () { take(a.word); prefix.focus(); });
              var then = document.createElement('span'); then.className = 'then'; then.textContent = a.translation;
              li.append(button, then);
              alternatives.appendChild(li);
            });
          }

          function choose(i) {
            chosen = i;
            prefix.value = '';
            show(i);
            complete();
          }

          function show(i) {
            var t = answer.translations[i];
            results.querySelectorAll('li.result').forEach(function (li) { li.classList.toggle('selected', Number(li.dataset.index) === i); });
            translation.textContent = t.translation;
            nbest.replaceChildren();
            (t.n_best || [t]).forEach(function (h, k) {
              var row = document.createElement('tr');
              row.className = 'hypothesis' + (k === 0 ? ' chosen' : '');
              row.dataset.k = k;
              cell(row, String(k + 1)); cell(row, h.translation); cell(row, h.score.toFixed(3)); cell(row, h.log_prob.toFixed(3));
              row.addEventListener('click', function () { hypothesis(k); });
              nbest.appendChild(row);
            });
            // Markup drawn by the server with the heatmap code of `attention --out FILE.html`.
            heatmap.innerHTML = answer.heatmaps[i] || '<p>Nothing to show for an empty line.</p>';
            showEdit(t);
            details.hidden = false;
          }

          function hypothesis(k) {
            var select = document.getElementById('sentence');
            if (!select) return;
            select.value = String(k);
            select.dispatchEvent(new Event('change', { bubbles: true }));
          }

          document.addEventListener('change', function (event) {
            if (!(event.target instanceof Element) || event.target.id !== 'sentence') return;
            var k = event.target.value;
            nbest.querySelectorAll('tr.hypothesis').forEach(function (row) { row.classList.toggle('chosen', row.dataset.k === k); });
          });
          form.addEventListener('submit', function (event) { event.preventDefault(); clearTimeout(timer); translate(); });
          source.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(translate, 600); });
          source.addEventListener('keydown', function (event) {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); clearTimeout(timer); translate(); }
          });
          prefix.addEventListener('input', function () { clearTimeout(editTimer); editTimer = setTimeout(complete, 400); });
          prefix.addEventListener('keydown', function (event) {
            if (event.key !== 'Tab' || event.shiftKey || !answer) return;
            // Tab takes the completion's next word (or finishes the word being typed).
            var typed = prefix.value, words = answer.translations[chosen].translation.split(' ');
            var count = typed.trim() === '' ? 0 : typed.trim().split(/\s+/).length;
            var next = /\s$/.test(typed) || typed === '' ? words[count] : words[count - 1];
            if (!next) return;
            event.preventDefault();
            take(next);
          });
          fetch('v1/model').then(function (r) { return r.ok ? r.json() : null; }).then(function (m) {
            if (m) document.getElementById('model').textContent = 'model ' + m.checkpoint.directory + ' \u00b7 step ' + m.checkpoint.step +
              ' \u00b7 ' + m.parameters.toLocaleString('en') + ' parameters \u00b7 vocabularies ' + m.source_vocabulary_size + '/' + m.target_vocabulary_size;
          }).catch(function () {});
        })();

        """;
}
