// The playground's behaviour: tabs, streamed samples (Write), debounced vector queries (Words), models.
"use strict";

const $ = (id) => document.getElementById(id);
let allModels = [];

// MARK: Tabs (arrow keys move between them, as WAI-ARIA's tab pattern asks)

const tabs = ["write", "read", "cells", "words", "models"].map((name) => $("tab-" + name));
function showTab(tab) {
  for (const t of tabs) {
    const selected = t === tab;
    t.setAttribute("aria-selected", String(selected));
    t.tabIndex = selected ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !selected;
  }
  if (tab.id === "tab-models") loadModelsPanel();
  if (tab.id === "tab-read") scheduleRead();
  if (tab.id === "tab-cells") scheduleCells();
}
tabs.forEach((tab, i) => {
  tab.addEventListener("click", () => showTab(tab));
  tab.addEventListener("keydown", (e) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const next = tabs[(i + step + tabs.length) % tabs.length];
    next.focus();
    showTab(next);
  });
});

function setStatus(id, text, isError) {
  const el = $(id);
  el.textContent = text;
  el.classList.toggle("error", Boolean(isError));
}

async function getJSON(url) {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) {
    const close = body.suggestions || [];
    const hint = close.length ? " (did you mean " + close.join(", ") + "?)" : "";
    throw new Error((body.error || response.statusText) + hint);
  }
  return body;
}

// MARK: Write: one column per model and temperature, filled as Server-Sent Events arrive

function fillModelSelects() {
  // A mixture samples through the char-RNN route.
  const samplers = allModels.filter((m) => ["charnn", "markov", "mixture"].includes(m.kind));
  for (const [id, keep] of [["write-model", false], ["write-model2", true], ["read-model", false],
    ["read-model2", true]]) {
    const select = $(id);
    const previous = select.value;
    select.replaceChildren(...(keep ? [new Option("(none)", "")] : []));
    for (const m of samplers) {
      const label = m.name + " (" + ({ charnn: "char-RNN", markov: "Markov", mixture: "mixture" })[m.kind] + ")";
      select.add(new Option(label, (m.kind === "mixture" ? "charnn" : m.kind) + "/" + m.name));
    }
    if ([...select.options].some((o) => o.value === previous)) select.value = previous;
  }
  const cells = $("cells-model"), picked = cells.value;
  cells.replaceChildren(...samplers.filter((m) => m.kind !== "markov").map((m) => new Option(m.name, m.name)));
  if ([...cells.options].some((o) => o.value === picked)) cells.value = picked;
}

function highlighted(text, spans) {
  // spans: [start, end) in UTF-16 code units, ascending and disjoint.
  const out = document.createDocumentFragment();
  let at = 0;
  for (const [start, end] of spans) {
    if (start > at) out.append(text.slice(at, start));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(start, end);
    mark.title = "copied from the training text";
    out.append(mark);
    at = end;
  }
  if (at < text.length) out.append(text.slice(at));
  return out;
}

async function streamSample(kind, name, body, columns) {
  const response = await fetch("/api/" + kind + "/sample", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify({ ...body, model: name }),
  });
  if (!response.ok) throw new Error((await response.json()).error || response.statusText);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)[1]);
      if (event === "text") columns[data.index].pre.append(data.text);
      else if (event === "result") {
        const c = columns[data.index];
        c.pre.replaceChildren(highlighted(data.text, data.copied_spans_utf16));
        const copied = data.copied == null ? "copy check unavailable" : (100 * data.copied).toFixed(1) + "% copied";
        const stopped = data.stopped ? " · stopped: " + data.stopped : "";
        c.stats.textContent = Math.round(data.chars_per_second) + " chars/s · " + copied + stopped;
      } else if (event === "start" && data.note) columns.forEach((c) => (c.stats.textContent = data.note));
      else if (event === "error") throw new Error(data.error);
    }
  }
}

function makeColumn(title) {
  const column = document.createElement("article");
  column.className = "column";
  const h = document.createElement("h2");
  h.textContent = title;
  const stats = document.createElement("p");
  stats.className = "stats";
  stats.textContent = "writing…";
  const pre = document.createElement("pre");
  column.append(h, stats, pre);
  $("write-columns").append(column);
  return { stats, pre };
}

$("write-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const temperatures = $("write-temps").value.split(",").map((t) => parseFloat(t)).filter((t) => !isNaN(t));
  if (!temperatures.length) return setStatus("write-status", "Give one or more temperatures, e.g. 0.5, 1.0", true);
  const count = Math.max(1, parseInt($("write-count").value, 10) || 1);
  const body = {
    seed: $("write-seed").value, preseed: $("write-preseed").value,
    temperatures, length: parseInt($("write-length").value, 10) || 400, count,
  };
  // The other sampling controls, sent only when set (the API's defaults otherwise).
  const number = (id, parse) => { const v = parse($(id).value); return isNaN(v) ? undefined : v; };
  body.top_k = number("write-top-k", (v) => parseInt(v, 10));
  body.top_p = number("write-top-p", parseFloat);
  body.repetition_penalty = number("write-penalty", parseFloat);
  body.beam = number("write-beam", (v) => parseInt(v, 10));
  const stop = $("write-stop").value.replace(/\\n/g, "\n").replace(/\\t/g, "\t");
  if (stop) body.stop = [stop];
  const picks = [$("write-model").value, $("write-model2").value].filter(Boolean);
  $("write-columns").replaceChildren();
  setStatus("write-status", "Writing…");
  $("write-go").disabled = true;
  try {
    await Promise.all(picks.map((pick) => {
      const [kind, name] = [pick.slice(0, pick.indexOf("/")), pick.slice(pick.indexOf("/") + 1)];
      // Temperature-major, as the API numbers its samples.
      const columns = temperatures.flatMap((t) => Array.from({ length: count },
        (_, c) => makeColumn(name + " · T = " + t + (count > 1 ? " · #" + (c + 1) : ""))));
      return streamSample(kind, name, body, columns);
    }));
    setStatus("write-status", "Done. Highlighted: 20-character windows copied from the training text.");
  } catch (err) {
    setStatus("write-status", err.message, true);
  } finally {
    $("write-go").disabled = false;
  }
});

// MARK: Words: queries run as you type (debounced); a neighbour explores itself when clicked

function fillWordModels() {
  const box = $("words-models");
  const checked = new Set([...box.querySelectorAll("input:checked")].map((i) => i.value));
  box.replaceChildren();
  allModels.filter((m) => m.kind === "w2v").forEach((m, i) => {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.value = m.name;
    input.checked = checked.size ? checked.has(m.name) : i === 0;
    input.addEventListener("change", scheduleWords);
    label.append(input, " " + m.name);
    box.append(label);
  });
}

function wordsURL(mode, words, models) {
  const params = new URLSearchParams();
  models.forEach((m) => params.append("model", m));
  if (mode === "nearest") {
    for (const w of words) {
      const negative = w.startsWith("-") || w.startsWith("−");
      params.append(negative ? "negative" : "positive", w.replace(/^[+\-−]/, ""));
    }
    return "/api/w2v/nearest?" + params;
  }
  if (mode === "analogy") {
    ["a", "b", "c"].forEach((k, i) => params.append(k, words[i] || ""));
    return "/api/w2v/analogy?" + params;
  }
  if (mode === "shift") {
    const p = new URLSearchParams({ a: models[0], b: models[1] || "", n: "20" });
    return "/api/w2v/shift?" + p;
  }
  words.forEach((w) => params.append("word", w));
  return "/api/w2v/doesnt-match?" + params;
}

let wordsTimer = null;
let wordsRequest = 0;
function scheduleWords() {
  clearTimeout(wordsTimer);
  wordsTimer = setTimeout(runWords, 250);
}

async function runWords() {
  const mode = $("words-mode").value;
  const words = $("words-input").value.trim().split(/\s+/).filter(Boolean);
  const models = [...$("words-models").querySelectorAll("input:checked")].map((i) => i.value);
  const needed = { nearest: 1, analogy: 3, odd: 3, shift: 0 }[mode];
  if (!models.length || words.length < needed || (mode === "shift" && models.length !== 2)) {
    $("words-results").replaceChildren();
    const why = mode === "shift" ? "Tick exactly two word2vec models: the first one's space is kept."
      : "Pick a word2vec model.";
    return setStatus("words-status", models.length && mode !== "shift" ? "" : why);
  }
  const ticket = ++wordsRequest;
  try {
    const body = await getJSON(wordsURL(mode, words, models));
    if (ticket !== wordsRequest) return; // a newer query is on its way
    setStatus("words-status", "");
    if (mode === "shift") return $("words-results").replaceChildren(shiftTable(body));
    $("words-results").replaceChildren(...body.results.map((r) => wordsColumn(r)));
    if (mode === "nearest" && words.length === 1) drawWordMaps(words[0], models, () => ticket === wordsRequest);
  } catch (err) {
    if (ticket === wordsRequest) setStatus("words-status", err.message, true);
  }
}

function wordsColumn(result) {
  const column = document.createElement("article");
  column.className = "column";
  const h = document.createElement("h2");
  h.textContent = result.model;
  column.append(h);
  if (result.word !== undefined) {
    const p = document.createElement("p");
    p.textContent = "odd one out: " + result.word;
    column.append(p);
    return column;
  }
  const list = document.createElement("ol");
  list.className = "neighbours";
  for (const n of result.neighbours) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = n.word;
    b.title = "explore " + n.word;
    b.addEventListener("click", () => {
      $("words-mode").value = "nearest";
      $("words-input").value = n.word;
      runWords();
    });
    const score = document.createElement("span");
    score.className = "score";
    score.textContent = n.score.toFixed(3);
    li.append(b, score);
    list.append(li);
  }
  column.append(list);
  return column;
}

// The moved words as a table: each word, highlighted, with its aligned cosine and neighbour overlap,
// and its neighbours in both models side by side; a neighbour both lists share is in bold.
function shiftTable(report) {
  const figure = document.createElement("article");
  figure.className = "column shift";
  const h = document.createElement("h2");
  h.textContent = `Moved most from ${report.a} to ${report.b}`;
  const note = document.createElement("p");
  note.className = "stats";
  note.textContent = `${report.b} aligned onto ${report.a} on ${report.anchors} shared words ` +
    `(mean cosine ${report.anchor_cosine.toFixed(3)}); ${report.compared} words compared`;
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const title of ["word", "cosine", "overlap", "neighbours in " + report.a, "neighbours in " + report.b]) {
    const th = document.createElement("th");
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  for (const w of report.words) {
    const row = body.insertRow();
    const word = row.insertCell();
    const mark = document.createElement("mark");
    mark.textContent = w.word;
    word.append(mark);
    for (const value of [w.cosine.toFixed(3), w.overlap.toFixed(2)]) {
      const cell = row.insertCell();
      cell.className = "num";
      cell.textContent = value;
    }
    const inA = new Set(w.neighbours_a.map((n) => n.word)), inB = new Set(w.neighbours_b.map((n) => n.word));
    for (const [list, other] of [[w.neighbours_a, inB], [w.neighbours_b, inA]]) {
      const cell = row.insertCell();
      cell.className = "wrap";
      list.forEach((n, i) => {
        const span = document.createElement(other.has(n.word) ? "b" : "span");
        span.textContent = n.word;
        cell.append(span, i + 1 < list.length ? " " : "");
      });
    }
  }
  const wrap = document.createElement("div");
  wrap.className = "table-wrap";
  wrap.append(table);
  figure.append(h, note, wrap);
  return figure;
}

$("words-input").addEventListener("input", scheduleWords);
$("words-mode").addEventListener("change", scheduleWords);
$("words-form").addEventListener("submit", (e) => {
  e.preventDefault();
  runWords();
});

// MARK: Models: the store's models and each char-RNN's loss curve

function formatBytes(n) {
  const units = ["B", "KB", "MB", "GB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i ? n.toFixed(1) : n) + " " + units[i];
}

function loadModelsPanel() {
  const body = $("models-table").tBodies[0];
  body.replaceChildren(...allModels.map((m) => {
    const tr = document.createElement("tr");
    const cells = [m.name, m.kind, formatBytes(m.bytes), m.created.slice(0, 16).replace("T", " "),
      m.best_val_loss == null ? "–" : m.best_val_loss.toFixed(4),
      m.index_recall_at_10 == null ? "–" : m.index_recall_at_10.toFixed(3)];
    cells.forEach((text, i) => {
      const td = document.createElement("td");
      td.textContent = text;
      if (i >= 2 && i !== 3) td.className = "num";
      tr.append(td);
    });
    return tr;
  }));
  $("models-curves").replaceChildren(...allModels.filter((m) => m.kind === "charnn").map((m) => {
    const figure = document.createElement("figure");
    const img = document.createElement("img");
    img.src = "/api/charnn/curve?model=" + encodeURIComponent(m.name) + "&t=" + Date.now();
    img.alt = "loss curve of " + m.name;
    const caption = document.createElement("figcaption");
    caption.textContent = m.name;
    figure.append(img, caption);
    return figure;
  }));
}

async function refreshModels() {
  try {
    allModels = (await getJSON("/api/models")).models;
    fillModelSelects();
    fillWordModels();
  } catch (err) {
    setStatus("write-status", "Cannot list the models: " + err.message, true);
  }
}

refreshModels();
setInterval(refreshModels, 30000); // models trained meanwhile appear
