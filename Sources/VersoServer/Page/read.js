// The playground's Read tab: a typed text coloured by each model's surprise, scored as you type (debounced).
// Loaded after app.js, whose helpers ($, setStatus) it uses; showTab calls scheduleRead.
"use strict";

let readTimer = null;
let readRequest = 0;
const readTimings = []; // ms from the debounce firing to the coloured text, per update
function scheduleRead() {
  clearTimeout(readTimer);
  readTimer = setTimeout(runRead, 250);
}

async function postJSON(url, body) {
  const response = await fetch(url, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error || response.statusText);
  return answer;
}

async function runRead() {
  const text = $("read-text").value;
  const models = [$("read-model").value, $("read-model2").value].filter(Boolean);
  if (!models.length || [...text].length < 2) {
    $("read-columns").replaceChildren();
    return setStatus("read-status", models.length ? "Type at least two characters." : "Pick a model.");
  }
  const ticket = ++readRequest;
  const started = performance.now();
  try {
    const scored = await Promise.all(models.map((value) => {
      const [kind, ...name] = value.split("/");
      return postJSON("/api/" + kind + "/score", { model: name.join("/"), text });
    }));
    if (ticket !== readRequest) return; // a newer text is on its way
    setStatus("read-status", "");
    const first = [...new Intl.Segmenter().segment(text)][0].segment;
    $("read-columns").replaceChildren(...scored.map((s) => readColumn(s, first)));
    readTimings.push(performance.now() - started); // the browser test reads them (target: 100 ms at 1,000 chars)
  } catch (err) {
    if (ticket === readRequest) setStatus("read-status", err.message, true);
  }
}

// Pale yellow at 0 bits to deep red at 8 bits and more.
function heat(bits) {
  const t = Math.min(Math.max(bits, 0) / 8, 1);
  return `hsl(${Math.round(55 - 55 * t)}, 95%, ${Math.round(96 - 42 * t)}%)`;
}

function readColumn(scored, first) {
  const column = document.createElement("article");
  column.className = "column";
  const h = document.createElement("h2");
  h.textContent = scored.model;
  const stats = document.createElement("p");
  stats.className = "stats";
  stats.textContent = `${scored.bits_per_char.toFixed(3)} bits/char over ${scored.chars} characters`;
  const pre = document.createElement("pre");
  pre.className = "surprisal";
  pre.append(first); // context only: nothing predicted it
  for (const s of scored.symbols) {
    const span = document.createElement("span");
    span.textContent = s.symbol;
    span.tabIndex = 0;
    span.dataset.bits = s.bits.toFixed(3);
    span.style.background = heat(s.bits);
    const show = (c) => (c === " " ? "␠" : c === "\n" ? "␤" : c);
    span.title = `${show(s.symbol)}: ${s.bits.toFixed(2)} bits; expected ` +
      s.expected.map((e) => `${show(e.symbol)} ${(100 * e.probability).toFixed(1)}%`).join(", ");
    pre.append(span);
  }
  column.append(h, stats, pre);
  return column;
}

$("read-text").addEventListener("input", scheduleRead);
$("read-model").addEventListener("change", scheduleRead);
$("read-model2").addEventListener("change", scheduleRead);
