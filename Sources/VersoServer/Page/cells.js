// The playground's Cells tab: a text coloured by one cell of a char-RNN (picked, or a feature's strongest),
// with every feature's best-matching cells (click one to show it) and each layer's gate saturation.
// Loaded after app.js and read.js, whose helpers ($, setStatus, postJSON) it uses; showTab calls scheduleCells.
"use strict";

let cellsTimer = null;
let cellsRequest = 0;
function scheduleCells() {
  clearTimeout(cellsTimer);
  cellsTimer = setTimeout(runCells, 250);
}

// What the user picked: a unit (layer and cell filled in) or a feature (or neither: the strongest unit).
function cellsQuery() {
  const layer = $("cells-layer").value, cell = $("cells-cell").value;
  const query = { model: $("cells-model").value, text: $("cells-text").value };
  if (layer !== "" && cell !== "") {
    Object.assign(query, { layer: Number(layer), cell: Number(cell), state: $("cells-state").value });
  } else if ($("cells-feature").value) {
    query.feature = $("cells-feature").value;
  }
  return query;
}

async function runCells() {
  const query = cellsQuery();
  if (!query.model || [...query.text].length < 2) {
    $("cells-output").replaceChildren();
    return setStatus("cells-status", query.model ? "Type at least two characters." : "Pick a char-RNN.");
  }
  const ticket = ++cellsRequest;
  try {
    const answer = await postJSON("/api/charnn/cells", query);
    if (ticket !== cellsRequest) return; // a newer question is on its way
    setStatus("cells-status", "");
    $("cells-output").replaceChildren(cellsText(answer), cellsRanking(answer), cellsSaturation(answer));
  } catch (err) {
    if (ticket === cellsRequest) setStatus("cells-status", err.message, true);
  }
}

function unitName(u) { return `layer ${u.layer} cell ${u.cell} (${u.state})`; }

// Blue for negative, white at 0, red for positive, scaled by the largest |value| in the text.
function diverging(value, scale) {
  const t = Math.max(-1, Math.min(1, value / scale));
  const hue = t < 0 ? 215 : 5;
  return `hsl(${hue}, 85%, ${Math.round(100 - 45 * Math.abs(t))}%)`;
}

function cellsText(answer) {
  const column = document.createElement("article");
  column.className = "column";
  const h = document.createElement("h2");
  h.textContent = `${answer.model}: ${unitName(answer.trace)}`;
  const scale = Math.max(1e-6, ...answer.values.map(Math.abs));
  const stats = document.createElement("p");
  stats.className = "stats";
  const matches = answer.features.flatMap((f) => f.cells.filter((c) => sameUnit(c.unit, answer.trace))
    .map((c) => `${f.title} r = ${c.r.toFixed(2)}`));
  stats.textContent = `value after each character; blue −${scale.toFixed(2)}, white 0, red +${scale.toFixed(2)}` +
    (matches.length ? ` · among the strongest for ${matches.join(", ")}` : "");
  const pre = document.createElement("pre");
  pre.className = "surprisal cells";
  answer.symbols.forEach((symbol, t) => {
    const span = document.createElement("span");
    span.textContent = symbol;
    span.dataset.value = answer.values[t].toFixed(4);
    span.style.background = diverging(answer.values[t], scale);
    span.title = `${symbol === "\n" ? "␤" : symbol}: ${answer.values[t].toFixed(3)}`;
    pre.append(span);
  });
  column.append(h, stats, pre);
  return column;
}

function sameUnit(a, b) { return a.layer === b.layer && a.cell === b.cell && a.state === b.state; }

function cellsRanking(answer) {
  const column = document.createElement("article");
  column.className = "column";
  const h = document.createElement("h2");
  h.textContent = `Cells that track the text (${answer.layers} × ${answer.hidden} ${answer.cell.toUpperCase()})`;
  const table = document.createElement("table");
  table.className = "ranking";
  for (const f of answer.features) {
    const row = table.insertRow();
    row.insertCell().textContent = f.title;
    const cells = row.insertCell();
    if (!f.varies) cells.textContent = "(constant in this text)";
    for (const c of f.cells) {
      const pick = document.createElement("button");
      pick.type = "button";
      const r = `${c.r >= 0 ? "+" : "−"}${Math.abs(c.r).toFixed(2)}`;
      pick.textContent = `${c.unit.layer}:${c.unit.cell} ${c.unit.state} ${r}`;
      pick.title = `show ${unitName(c.unit)}`;
      pick.addEventListener("click", () => {
        $("cells-layer").value = c.unit.layer;
        $("cells-cell").value = c.unit.cell;
        $("cells-state").value = c.unit.state;
        runCells();
      });
      cells.append(pick);
    }
  }
  column.append(h, table);
  return column;
}

function cellsSaturation(answer) {
  const column = document.createElement("article");
  column.className = "column";
  const h = document.createElement("h2");
  h.textContent = "Gates saturated (share of steps below 0.1 / above 0.9, mean over cells)";
  const table = document.createElement("table");
  for (const g of answer.saturation) {
    const row = table.insertRow();
    row.insertCell().textContent = `layer ${g.layer} ${g.gate}`;
    const value = row.insertCell();
    value.className = "num";
    value.textContent = `${(100 * g.left).toFixed(1)}% / ${(100 * g.right).toFixed(1)}%`;
  }
  column.append(h, answer.saturation.length ? table : "A tanh RNN has no gates.");
  return column;
}

for (const id of ["cells-text", "cells-model", "cells-state"]) $(id).addEventListener("input", scheduleCells);
for (const id of ["cells-layer", "cells-cell"]) $(id).addEventListener("input", scheduleCells);
$("cells-feature").addEventListener("input", () => {
  $("cells-layer").value = "";
  $("cells-cell").value = "";
  scheduleCells();
});
