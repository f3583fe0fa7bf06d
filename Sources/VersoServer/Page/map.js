// The Words tab's map: a word and its 30 nearest neighbours in 2-D (t-SNE or PCA), one SVG under each model's list.
// Loaded after app.js, whose helpers ($, getJSON, setStatus) it uses; runWords calls drawWordMaps.
"use strict";

// `isCurrent` says whether the query is still the latest (a newer one replaces the columns).
async function drawWordMaps(word, models, isCurrent) {
  const method = $("words-map").value;
  if (!method || /^[+\-−]/.test(word)) return;
  const params = new URLSearchParams({ word, method, n: "30" });
  models.forEach((m) => params.append("model", m));
  try {
    const body = await getJSON("/api/w2v/map?" + params);
    if (!isCurrent()) return;
    const columns = $("words-results").querySelectorAll(".column");
    body.results.forEach((map, i) => {
      if (!columns[i]) return;
      columns[i].classList.add("mapped");
      columns[i].append(mapFigure(map));
    });
  } catch (err) {
    if (isCurrent()) setStatus("words-status", err.message, true);
  }
}

function mapFigure(map) {
  const svgNS = "http://www.w3.org/2000/svg";
  const width = 360, height = 300, pad = 24;
  const xs = map.points.map((p) => p.x), ys = map.points.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // Labels run to the right of their dots: more room on that side.
  const sx = (x) => pad / 2 + (width - 3.5 * pad) * (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5);
  const sy = (y) => height - pad - (height - 2 * pad) * (y1 > y0 ? (y - y0) / (y1 - y0) : 0.5);
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  const method = map.method === "tsne" ? "t-SNE" : "PCA";
  svg.setAttribute("aria-label", `${map.points[0].word} and its neighbours, ${method}`);
  for (const p of map.points) {
    const dot = document.createElementNS(svgNS, "circle");
    dot.setAttribute("cx", sx(p.x));
    dot.setAttribute("cy", sy(p.y));
    dot.setAttribute("r", p.query ? 4 : 2.5);
    dot.setAttribute("class", p.query ? "query" : "");
    const label = document.createElementNS(svgNS, "text");
    label.setAttribute("x", sx(p.x) + 4);
    label.setAttribute("y", sy(p.y) - 3);
    label.setAttribute("class", p.query ? "query" : "");
    label.textContent = p.word;
    svg.append(dot, label);
  }
  const figure = document.createElement("figure");
  figure.className = "word-map";
  const caption = document.createElement("figcaption");
  caption.textContent = `${method} of “${map.points[0].word}” and its ` +
    `${map.points.length - 1} nearest neighbours`;
  figure.append(svg, caption);
  return figure;
}

$("words-map").addEventListener("change", scheduleWords);
