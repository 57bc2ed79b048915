// ResultHtml (include/diviml/export/report.h): the page template with the
// report data embedded. The page is plain HTML + CSS + JavaScript, no
// library, no network: every number and every position comes from
// ReportData; the script only draws. Its views are registered in VIEWS, one
// function each (docs/report.md tells how to add one). O(size of the data).
#include <string>

#include "diviml/export/report.h"

namespace diviml {
namespace {

const char* kCss = R"CSS(
*{box-sizing:border-box}
body{margin:0;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#222;background:#fafafa}
header{padding:10px 16px;background:#23364a;color:#fff}
header h1{margin:0 0 4px;font-size:18px}
.chips span{display:inline-block;margin:2px 6px 2px 0;padding:2px 8px;border-radius:10px;background:#3c5670}
.chips .bad{background:#a33}.chips .good{background:#2a7a3a}
main{padding:8px 16px}
section{background:#fff;border:1px solid #ddd;border-radius:6px;margin:10px 0;padding:8px 12px}
section h2{font-size:15px;margin:2px 0 8px}
#top{display:grid;grid-template-columns:minmax(0,1fr) 330px;gap:10px}
#graphbox{position:relative;height:72vh;border:1px solid #ccc;background:#fff;overflow:hidden;cursor:grab}
#graphbox svg,#ganttbox svg{display:block;user-select:none}
#details{height:72vh;overflow:auto;border:1px solid #ccc;padding:6px 8px;background:#fff}
.toolbar{margin:4px 0}
.toolbar button,.toolbar select{font:inherit;margin-right:4px}
.node rect.box{stroke:#333;stroke-width:.7}
.node text{font-size:10px;pointer-events:none}
.node.sel rect.box,.gbox.sel{stroke:#000;stroke-width:3}
.node.hl rect.box{stroke:#e60;stroke-width:2.5}
.edge{fill:none;stroke:#9aa;stroke-width:1}
.edge.cross{stroke:#d22;stroke-width:2}
.elabel{font-size:9px;fill:#b00}
.mod rect{fill:#eef3f8;stroke:#9ab;stroke-dasharray:4 3}
.mod text{font-size:11px;fill:#345;cursor:pointer}
.modbox rect{fill:#dde7f1;stroke:#567;stroke-width:1}
#ganttbox{border:1px solid #ccc;background:#fff;overflow:hidden;cursor:grab}
.gbox{stroke:#333;stroke-width:.5}
table{border-collapse:collapse;margin:4px 0}
td,th{border:1px solid #ddd;padding:2px 6px;text-align:right}
th{background:#f0f0f0}
td:first-child,th:first-child{text-align:left}
tr.best td{font-weight:bold;background:#eef8ee}
.bar{display:inline-block;height:10px;background:#4a90d9;vertical-align:middle}
.barbg{display:inline-block;text-align:left;width:120px;height:10px;background:#eee;vertical-align:middle;position:relative}
.barbg.over .bar{background:#d33}
.legend span{display:inline-block;margin:1px 8px 1px 0;white-space:nowrap}
.legend i{display:inline-block;width:11px;height:11px;border:1px solid #555;margin-right:3px;vertical-align:-1px}
.muted{color:#777}
pre{white-space:pre-wrap;font-size:11px}
)CSS";

const char* kJs = R"JS(
'use strict';
const D = JSON.parse(document.getElementById('report-data').textContent);
const NS = 'http://www.w3.org/2000/svg';
const S = {selected: -1, collapsed: new Set(), colorBy: 'device', gantt: null};
const DEVICE_COLORS = ['#4e79a7','#f28e2b','#59a14f','#e15759','#76b7b2','#edc948','#b07aa1','#ff9da7','#9c755f','#bab0ac',
  '#1f77b4','#2ca02c','#9467bd','#8c564b','#17becf','#bcbd22'];
function devColor(d) { return d === null || d === undefined ? '#ddd' : DEVICE_COLORS[d % DEVICE_COLORS.length]; }
function opColor(k) { return D.ops[k].color; }
function esc(s) { return String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c])); }
function fmtT(s) {
  if (s === null || s === undefined || !isFinite(s)) return '-';
  const a = Math.abs(s);
  if (a === 0) return '0 s';
  if (a >= 1) return s.toPrecision(4) + ' s';
  if (a >= 1e-3) return (s * 1e3).toPrecision(4) + ' ms';
  return (s * 1e6).toPrecision(4) + ' \u00b5s';
}
function fmtB(b) {
  if (b === null || b === undefined || !isFinite(b)) return 'unlimited';
  const u = ['B','KB','MB','GB','TB']; let i = 0;
  while (Math.abs(b) >= 1000 && i < u.length - 1) { b /= 1000; ++i; }
  return (i ? b.toPrecision(4) : b) + ' ' + u[i];
}
function fmtF(f) {
  const u = ['','K','M','G','T','P']; let i = 0;
  while (Math.abs(f) >= 1000 && i < u.length - 1) { f /= 1000; ++i; }
  return (i ? f.toPrecision(4) : f) + ' ' + u[i] + 'FLOP';
}
function pct(x) { return x === null || x === undefined || !isFinite(x) ? '-' : (100 * x).toFixed(2) + '%'; }
function bar(frac, over) {
  const w = Math.max(0, Math.min(1, frac || 0)) * 120;
  return '<span class="barbg' + (over ? ' over' : '') + '"><span class="bar" style="width:' + w.toFixed(1) + 'px"></span></span>';
}
function devName(d) { return d === null || d === undefined ? '-' : D.devices[d].name; }
function el(id) { return document.getElementById(id); }

// ---------- zoom and pan of an SVG viewport (graph) ----------
function panZoom(box, svg, g, fit) {
  const st = {k: 1, x: 0, y: 0};
  function apply() { g.setAttribute('transform', 'translate(' + st.x + ',' + st.y + ') scale(' + st.k + ')'); }
  box.addEventListener('wheel', ev => {
    ev.preventDefault();
    const r = box.getBoundingClientRect(), mx = ev.clientX - r.left, my = ev.clientY - r.top;
    const f = Math.exp(-ev.deltaY * 0.0015), k = Math.max(0.02, Math.min(8, st.k * f));
    st.x = mx - (mx - st.x) * k / st.k; st.y = my - (my - st.y) * k / st.k; st.k = k; apply();
  }, {passive: false});
  let drag = null;
  box.addEventListener('mousedown', ev => { drag = {x: ev.clientX, y: ev.clientY, sx: st.x, sy: st.y, moved: false}; });
  window.addEventListener('mousemove', ev => {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    st.x = drag.sx + dx; st.y = drag.sy + dy; apply();
  });
  window.addEventListener('mouseup', () => { if (drag && drag.moved) box.dataset.dragged = '1'; drag = null; });
  st.fit = function () {
    const w = box.clientWidth, h = box.clientHeight, W = fit().w, H = fit().h;
    // Whole graph when it fits at a readable scale, else the top at 0.45.
    st.k = Math.min(w / W, 1.2, Math.max(h / H, 0.45)); if (!(st.k > 0)) st.k = 1;
    st.x = (w - W * st.k) / 2; st.y = 10; apply();
  };
  st.center = function (x, y) {
    st.k = Math.max(st.k, 0.8);
    st.x = box.clientWidth / 2 - x * st.k; st.y = box.clientHeight / 2 - y * st.k; apply();
  };
  return st;
}

// ---------- the graph: bands stacked, modules collapsible ----------
const COLLAPSED_H = 44, NODE_W = 128, NODE_H = 30;
function cut(s, k) { return s.length > k ? s.slice(0, k - 1) + '\u2026' : s; }
// The last two parts of a path-like id ("/layer3/layer3.1/relu_1/Relu" ->
// "layer3.1/relu_1"), without a last part that only repeats the op.
function shortId(n) {
  const p = n.id.split('/').filter(Boolean);
  if (p.length > 1 && p[p.length - 1] === D.ops[n.op].name) p.pop();
  return p.slice(-2).join('/') || n.id;
}
const bands = D.layout.bands, blocks = D.layout.blocks;
const maxW = Math.max(NODE_W + 40, ...bands.map(b => b.width)) + 60;
const blockOfBand = [];
blocks.forEach((k, i) => { for (let b = k.first_band; b <= k.last_band; ++b) blockOfBand[b] = i; });
function blockOf(v) { return blockOfBand[D.nodes[v].band]; }
// "24 nodes: 6 MatMul, 4 Add, 3 Mul, ..." for a block's label.
function blockSummary(k) {
  const count = {};
  for (let b = k.first_band; b <= k.last_band; ++b) bands[b].nodes.forEach(v => { const o = D.ops[D.nodes[v].op].name; count[o] = (count[o] || 0) + 1; });
  const top = Object.keys(count).sort((a, b) => count[b] - count[a]);
  return k.nodes + ' nodes: ' + top.slice(0, 4).map(o => count[o] + ' ' + o).join(', ') + (top.length > 4 ? ', \u2026' : '');
}
// A collapsed block's share of nodes per device, as a stacked strip.
function deviceStrip(k, x, y, w) {
  const count = new Array(D.devices.length).fill(0);
  for (let b = k.first_band; b <= k.last_band; ++b) bands[b].nodes.forEach(v => { if (D.nodes[v].device !== null) count[D.nodes[v].device]++; });
  let out = '', at = x;
  count.forEach((c, d) => { if (!c) return; const cw = w * c / k.nodes; out += '<rect x="' + at + '" y="' + y + '" width="' + cw + '" height="5" fill="' + devColor(d) + '"/>'; at += cw; });
  return out;
}
function placed() {
  // Block and band offsets and node positions for the current collapse state.
  let y = 10; const pos = new Array(D.nodes.length);
  blocks.forEach((k, i) => {
    k._y = y;
    k._w = 0;
    for (let b = k.first_band; b <= k.last_band; ++b) k._w = Math.max(k._w, bands[b].width);
    if (S.collapsed.has(i)) {
      const c = {x: maxW / 2 + 30, y: y + COLLAPSED_H / 2};
      for (let b = k.first_band; b <= k.last_band; ++b) bands[b].nodes.forEach(v => { pos[v] = {x: c.x, y: c.y, hidden: true, block: i}; });
      y += COLLAPSED_H + 14;
    } else {
      y += k.nodes > 1 ? 14 : 0;
      for (let b = k.first_band; b <= k.last_band; ++b) {
        const band = bands[b], ox = (maxW - band.width) / 2 + 30;
        band.nodes.forEach(v => { pos[v] = {x: ox + D.nodes[v].x, y: y + D.nodes[v].y, block: i}; });
        y += band.height;
      }
      y += k.nodes > 1 ? 14 : 0;
    }
    k._h = y - k._y;
  });
  return {pos: pos, w: maxW + 60, h: y + 10};
}
let G = null;
function nodeFill(v) { return S.colorBy === 'device' ? devColor(D.nodes[v].device) : opColor(D.nodes[v].op); }
function drawGraph() {
  const P = placed(), pos = P.pos, parts = [];
  blocks.forEach((k, i) => {
    if (k.nodes < 2) return;
    const label = 'block ' + i + ' (' + blockSummary(k) + ')';
    if (S.collapsed.has(i)) {
      parts.push('<g class="modbox" data-block="' + i + '"><rect x="' + (maxW / 2 + 30 - 190) + '" y="' + k._y + '" width="380" height="' +
        COLLAPSED_H + '" rx="6"/><text x="' + (maxW / 2 + 30) + '" y="' + (k._y + 26) + '" text-anchor="middle" font-size="12">\u25b6 ' +
        esc(cut(label, 60)) + '</text>' + deviceStrip(k, maxW / 2 + 30 - 186, k._y + COLLAPSED_H - 9, 372) + '</g>');
    } else {
      const x = (maxW - k._w) / 2 + 30 - 10;
      parts.push('<g class="mod" data-block="' + i + '"><rect x="' + x + '" y="' + (k._y + 2) + '" width="' + (k._w + 20) +
        '" height="' + (k._h - 4) + '" rx="6"/><text x="' + (x + 4) + '" y="' + (k._y + 13) + '">\u25bc ' + esc(label) + '</text></g>');
    }
  });
  D.edges.forEach((e, k) => {
    const a = pos[e.from], b = pos[e.to];
    if (a.hidden && b.hidden && a.block === b.block) return;
    const x1 = a.x, y1 = a.y + (a.hidden ? COLLAPSED_H / 2 : NODE_H / 2), x2 = b.x, y2 = b.y - (b.hidden ? COLLAPSED_H / 2 : NODE_H / 2);
    const my = (y1 + y2) / 2;
    parts.push('<path class="edge' + (e.cross ? ' cross' : '') + '" data-edge="' + k + '" d="M' + x1 + ',' + y1 + ' C' + x1 + ',' + my + ' ' + x2 + ',' + my + ' ' + x2 + ',' + y2 + '"><title>' +
      esc(D.nodes[e.from].id + ' \u2192 ' + D.nodes[e.to].id + ': ' + fmtB(e.bytes) + (e.cross ? ', transfer ' + fmtT(e.transfer_s) + ' (' + devName(D.nodes[e.from].device) + ' \u2192 ' + devName(D.nodes[e.to].device) + ')' : '')) + '</title></path>');
    if (e.cross) parts.push('<text class="elabel" x="' + ((x1 + x2) / 2 + 4) + '" y="' + (my - 2) + '">' + esc(fmtT(e.transfer_s)) + '</text>');
  });
  D.nodes.forEach((n, v) => {
    const p = pos[v];
    const style = p.hidden ? ' style="display:none"' : '';
    parts.push('<g class="node' + (v === S.selected ? ' sel' : '') + '" data-node="' + v + '" transform="translate(' + (p.x - NODE_W / 2) + ',' + (p.y - NODE_H / 2) + ')"' + style + '>' +
      '<rect class="box" width="' + NODE_W + '" height="' + NODE_H + '" rx="4" fill="' + nodeFill(v) + '"/>' +
      '<rect width="6" height="' + NODE_H + '" fill="' + opColor(n.op) + '"/>' +
      '<text x="10" y="12" font-weight="bold">' + esc(cut(D.ops[n.op].name, 20)) + '</text><text x="10" y="25">' + esc(cut(shortId(n), 22)) + '</text></g>');
  });
  el('gview').innerHTML = parts.join('');
  G.size = P;
}
function showDetails(v) {
  const n = D.nodes[v], box = el('details');
  if (!n) return;
  let h = '<h3 style="margin:2px 0">' + esc(n.id) + '</h3><div>op <b>' + esc(D.ops[n.op].name) + '</b></div>';
  h += '<div>device <b>' + esc(devName(n.device)) + '</b>' + (n.start_s !== undefined ? ', ' + fmtT(n.start_s) + ' \u2013 ' + fmtT(n.end_s) : '') + '</div>';
  h += '<div>' + fmtF(n.flops) + ', weights ' + fmtB(n.param_bytes) + ', output ' + fmtB(n.output_bytes) + '</div>';
  h += '<table><tr><th>device</th><th>time</th></tr>';
  n.times_s.forEach((t, d) => { h += '<tr' + (d === n.device ? ' class="best"' : '') + '><td>' + esc(D.devices[d].name) + '</td><td>' + (t === null ? 'not allowed' : fmtT(t)) + '</td></tr>'; });
  h += '</table><div class="muted">in / out edges:</div><table><tr><th>edge</th><th>bytes</th><th>transfer</th></tr>';
  D.edges.forEach(e => {
    if (e.from !== v && e.to !== v) return;
    h += '<tr><td>' + esc(e.from === v ? '\u2192 ' + D.nodes[e.to].id : '\u2190 ' + D.nodes[e.from].id) + '</td><td>' + fmtB(e.bytes) + '</td><td>' + (e.cross ? fmtT(e.transfer_s) : '-') + '</td></tr>';
  });
  box.innerHTML = h + '</table>';
}
function selectNode(v, from) {
  if (!(v >= 0 && v < D.nodes.length)) return;
  S.selected = v;
  const block = blockOf(v);
  if (S.collapsed.has(block)) { S.collapsed.delete(block); drawGraph(); }
  document.querySelectorAll('.node.sel,.gbox.sel').forEach(x => x.classList.remove('sel'));
  const g = document.querySelector('.node[data-node="' + v + '"]');
  if (g) g.classList.add('sel');
  const gb = document.querySelector('.gbox[data-node="' + v + '"]');
  if (gb) gb.classList.add('sel');
  showDetails(v);
  if (from !== 'graph') {
    const p = placed().pos[v]; G.center(p.x, p.y);
  }
  if (from !== 'gantt' && S.gantt) S.gantt.reveal(v);
  document.body.dataset.selected = String(v);
}
function graphView(sec) {
  sec.innerHTML = '<h2>Graph</h2><div class="toolbar">colour by <select id="colorby"><option value="device">device</option><option value="op">operator class</option></select> ' +
    '<button id="expand">expand all blocks</button><button id="collapse">collapse all blocks</button><button id="fit">fit</button> ' +
    '<span class="muted">layout: ' + esc(D.layout.engine) + '; wheel to zoom, drag to pan, click a block title to collapse or expand it</span></div>' +
    '<div id="legend-dev" class="legend"></div><div id="top"><div id="graphbox"><svg id="gsvg" width="100%" height="100%"><g id="gview"></g></svg></div><div id="details" class="muted">hover or click a node</div></div>';
  el('legend-dev').innerHTML = D.devices.map((d, i) => '<span><i style="background:' + devColor(i) + '"></i>' + esc(d.name) + '</span>').join('') +
    '<span><i style="background:#d22;height:3px;border:0"></i>cross-device edge (transfer time)</span>';
  const big = D.nodes.length > 400;
  const collapseAll = () => blocks.forEach((k, i) => { if (k.nodes >= 2) S.collapsed.add(i); });
  if (big) collapseAll();
  const box = el('graphbox');
  G = panZoom(box, el('gsvg'), el('gview'), () => G.size);
  drawGraph();
  G.fit();
  el('gview').addEventListener('mouseover', ev => { const g = ev.target.closest('.node'); if (g) showDetails(+g.dataset.node); });
  el('gview').addEventListener('mouseout', () => { if (S.selected >= 0) showDetails(S.selected); });
  el('gview').addEventListener('click', ev => {
    if (box.dataset.dragged) { delete box.dataset.dragged; return; }
    const g = ev.target.closest('.node');
    if (g) { selectNode(+g.dataset.node, 'graph'); return; }
    const m = ev.target.closest('.mod,.modbox');
    if (m) { const i = +m.dataset.block; if (S.collapsed.has(i)) S.collapsed.delete(i); else S.collapsed.add(i); drawGraph(); }
  });
  el('colorby').addEventListener('change', ev => { S.colorBy = ev.target.value; drawGraph(); });
  el('expand').addEventListener('click', () => { S.collapsed.clear(); drawGraph(); G.fit(); });
  el('collapse').addEventListener('click', () => { collapseAll(); drawGraph(); G.fit(); });
  el('fit').addEventListener('click', () => G.fit());
}

// ---------- the Gantt chart: one lane per device and per used link ----------
function ganttView(sec) {
  const sched = D.nodes.filter(n => n.start_s !== undefined);
  if (!sched.length) { sec.innerHTML = '<h2>Gantt chart</h2><p class="muted">no plan</p>'; return; }
  const end = Math.max(D.summary.objective === 'latency' ? D.summary.lower_bound_s || 0 : 0, ...D.nodes.map(n => n.end_s || 0), ...D.edges.map(e => e.end_s || 0)) || 1;
  const lanes = D.devices.map((d, i) => ({name: d.name, kind: 'dev', d: i}));
  const linkLane = {};
  D.edges.forEach(e => {
    if (e.start_s === undefined) return;
    const key = D.nodes[e.from].device + '>' + D.nodes[e.to].device;
    if (!(key in linkLane)) { linkLane[key] = lanes.length; lanes.push({name: devName(D.nodes[e.from].device) + '\u2192' + devName(D.nodes[e.to].device), kind: 'link'}); }
  });
  sec.innerHTML = '<h2>Gantt chart <span class="muted">(' + esc(D.schedule_note) + ')</span></h2><div class="toolbar"><button id="greset">reset zoom</button> ' +
    '<span class="muted">wheel to zoom, drag to pan, click a box to select its node</span></div><div id="legend-op" class="legend"></div><div id="ganttbox"></div>';
  el('legend-op').innerHTML = D.ops.map(o => '<span><i style="background:' + o.color + '"></i>' + esc(o.name) + '</span>').join('');
  const box = el('ganttbox'), L = 150, LH = 26, TOP = 8;
  const H = TOP + lanes.length * (LH + 6) + 30;
  const st = {t0: 0, t1: end * 1.02};
  function draw() {
    const W = Math.max(400, box.clientWidth), pw = W - L - 10, X = t => L + (t - st.t0) / (st.t1 - st.t0) * pw;
    const parts = ['<svg width="' + W + '" height="' + H + '" font-size="10"><defs><clipPath id="gclip"><rect x="' + L + '" y="0" width="' + pw + '" height="' + H + '"/></clipPath></defs>'];
    lanes.forEach((l, i) => {
      const y = TOP + i * (LH + 6);
      parts.push('<rect x="' + L + '" y="' + y + '" width="' + pw + '" height="' + LH + '" fill="' + (l.kind === 'dev' ? '#f4f4f4' : '#fbeeee') + '"/>' +
        '<text x="' + (L - 6) + '" y="' + (y + 17) + '" text-anchor="end" font-size="11">' + esc(l.name) + '</text>');
    });
    const step = niceStep((st.t1 - st.t0) / 8), axisY = TOP + lanes.length * (LH + 6);
    parts.push('<g clip-path="url(#gclip)">');
    for (let t = Math.ceil(st.t0 / step) * step; t <= st.t1; t += step)
      parts.push('<line x1="' + X(t) + '" x2="' + X(t) + '" y1="0" y2="' + axisY + '" stroke="#e4e4e4"/><text x="' + X(t) + '" y="' + (axisY + 14) + '" text-anchor="middle">' + esc(fmtT(t)) + '</text>');
    D.nodes.forEach((n, v) => {
      if (n.start_s === undefined) return;
      const x0 = X(n.start_s), w = Math.max(1, X(n.end_s) - x0), y = TOP + n.device * (LH + 6) + 2;
      if (x0 > W || x0 + w < L) return;
      parts.push('<rect class="gbox' + (v === S.selected ? ' sel' : '') + '" data-node="' + v + '" x="' + x0.toFixed(2) + '" y="' + y + '" width="' + w.toFixed(2) + '" height="' + (LH - 4) +
        '" fill="' + opColor(n.op) + '"><title>' + esc(n.id + ' (' + D.ops[n.op].name + ') on ' + devName(n.device) + ': ' + fmtT(n.start_s) + ' \u2013 ' + fmtT(n.end_s)) + '</title></rect>');
      if (w > 6.2 * n.id.length + 4) parts.push('<text x="' + (x0 + w / 2) + '" y="' + (y + 14) + '" text-anchor="middle" pointer-events="none">' + esc(n.id) + '</text>');
    });
    D.edges.forEach(e => {
      if (e.start_s === undefined) return;
      const i = linkLane[D.nodes[e.from].device + '>' + D.nodes[e.to].device], x0 = X(e.start_s), w = Math.max(1, X(e.end_s) - x0), y = TOP + i * (LH + 6) + 5;
      parts.push('<rect x="' + x0.toFixed(2) + '" y="' + y + '" width="' + w.toFixed(2) + '" height="' + (LH - 10) + '" fill="#d55" opacity="0.75"><title>' +
        esc(D.nodes[e.from].id + ' \u2192 ' + D.nodes[e.to].id + ': ' + fmtB(e.bytes) + ', ' + fmtT(e.start_s) + ' \u2013 ' + fmtT(e.end_s)) + '</title></rect>');
    });
    const mk = D.summary.objective === 'latency' ? D.summary.value_s : Math.max(...D.nodes.map(n => n.end_s || 0));
    parts.push('<line x1="' + X(mk) + '" x2="' + X(mk) + '" y1="0" y2="' + axisY + '" stroke="#000" stroke-width="2"><title>makespan ' + esc(fmtT(mk)) + '</title></line>');
    if (D.summary.objective === 'latency' && D.summary.lower_bound_s > 0)
      parts.push('<line x1="' + X(D.summary.lower_bound_s) + '" x2="' + X(D.summary.lower_bound_s) + '" y1="0" y2="' + axisY + '" stroke="#27c" stroke-width="2" stroke-dasharray="6 4"><title>lower bound ' + esc(fmtT(D.summary.lower_bound_s)) + '</title></line>');
    parts.push('</g></svg>');
    box.innerHTML = parts.join('');
  }
  box.addEventListener('wheel', ev => {
    ev.preventDefault();
    const r = box.getBoundingClientRect(), pw = r.width - L - 10, f = Math.max(0, Math.min(1, (ev.clientX - r.left - L) / pw));
    const t = st.t0 + f * (st.t1 - st.t0), k = Math.exp(ev.deltaY * 0.0015), span = Math.max(end * 1e-6, (st.t1 - st.t0) * k);
    st.t0 = t - f * span; st.t1 = st.t0 + span; draw();
  }, {passive: false});
  let drag = null;
  box.addEventListener('mousedown', ev => { drag = {x: ev.clientX, t0: st.t0, t1: st.t1, moved: false}; });
  window.addEventListener('mousemove', ev => {
    if (!drag) return;
    const dx = ev.clientX - drag.x; if (Math.abs(dx) > 3) drag.moved = true;
    const dt = -dx / (box.clientWidth - L - 10) * (drag.t1 - drag.t0);
    st.t0 = drag.t0 + dt; st.t1 = drag.t1 + dt; draw();
  });
  window.addEventListener('mouseup', () => { if (drag && drag.moved) box.dataset.dragged = '1'; drag = null; });
  box.addEventListener('click', ev => {
    if (box.dataset.dragged) { delete box.dataset.dragged; return; }
    const r = ev.target.closest('.gbox'); if (r) selectNode(+r.dataset.node, 'gantt');
  });
  box.addEventListener('mouseover', ev => { const r = ev.target.closest('.gbox'); if (r) showDetails(+r.dataset.node); });
  el('greset').addEventListener('click', () => { st.t0 = 0; st.t1 = end * 1.02; draw(); });
  window.addEventListener('resize', draw);
  S.gantt = {reveal(v) {
    const n = D.nodes[v]; if (n.start_s === undefined) return;
    if (n.start_s < st.t0 || n.end_s > st.t1) { const span = st.t1 - st.t0, c = (n.start_s + n.end_s) / 2; st.t0 = c - span / 2; st.t1 = c + span / 2; }
    draw();
  }};
  draw();
}
function niceStep(raw) {
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const k of [1, 2, 5, 10]) if (k * p >= raw) return k * p;
  return 10 * p;
}

// ---------- the bound ----------
function boundView(sec) {
  const B = D.bounds, v = D.summary.value_s;
  const top = Math.max(v || 0, ...B.parts.map(p => p.value_s || 0)) || 1;
  let h = '<h2>Lower bound</h2><div>best part <b>' + esc(B.best || '-') + '</b> = ' + fmtT(B.lower_bound_s) + '; plan ' + esc(D.summary.value_name) + ' ' + fmtT(v) +
    '; gap <b>' + pct(B.gap) + '</b>' + (D.summary.bound_above_plan ? ' <b style="color:#c00">BOUND ABOVE PLAN (a bug in that bound)</b>' : '') + '</div>';
  h += '<table><tr><th>part</th><th>value</th><th></th><th>detail</th></tr>';
  B.parts.forEach(p => { h += '<tr' + (p.best ? ' class="best"' : '') + '><td>' + esc(p.name) + (p.best ? ' (best)' : '') + '</td><td>' + fmtT(p.value_s) + '</td><td>' + bar((p.value_s || 0) / top) + '</td><td>' + esc(p.detail) + '</td></tr>'; });
  if (isFinite(v)) h += '<tr><td><i>plan</i></td><td>' + fmtT(v) + '</td><td>' + bar(v / top) + '</td><td></td></tr>';
  h += '</table>';
  const mods = bands.filter(b => b.module >= 0);
  const cuts = bands.filter(b => b.cut_node >= 0).length;
  const chain = B.parts.find(p => p.name === 'module_chain');
  h += '<h3 style="font-size:13px">Module chain: ' + mods.length + ' modules, ' + cuts + ' cut nodes</h3>' + (chain ? '<div>module_chain: ' + fmtT(chain.value_s) + ' \u2014 ' + esc(chain.detail) + '</div>' : '') +
    (B.module_chain_note ? '<div>' + esc(B.module_chain_note) + ' (the solver part above)</div>' : '') +
    (chain || B.module_chain_note ? '' : '<div class="muted">no module_chain bound in this result (split computes it; so does diviml bound --module-exact)</div>');
  const segp = B.parts.find(p => p.segments && p.segments.length);
  if (segp) {
    const np = segp.segments.filter(s => s.proven).length;
    h += '<div id="segments">segments of the chain (' + esc(segp.name) + ' part): ' + np + ' of ' + segp.segments.length + ' proven optimal</div>' +
      '<table><tr><th>segment</th><th>nodes</th><th>value</th><th>proven</th></tr>';
    segp.segments.forEach(s => { h += '<tr><td>' + s.index + '</td><td>' + s.nodes + '</td><td>' + fmtT(s.value_s) + '</td><td>' + (s.proven ? 'optimal' : 'bound only') + '</td></tr>'; });
    h += '</table>';
  }
  h += '<div class="muted">The chain in blocks of the graph view (each a run of modules and cut nodes, one entry and one exit):</div>';
  h += '<table><tr><th>block</th><th>modules</th><th>cut nodes</th><th>nodes</th><th>sum of fastest times</th><th>in the plan</th><th>span</th></tr>';
  blocks.forEach((k, i) => {
    let mn = 0, cn = 0, fast = 0, t0 = Infinity, t1 = -Infinity;
    for (let b = k.first_band; b <= k.last_band; ++b) {
      const band = bands[b];
      if (band.module >= 0) ++mn; else ++cn;
      fast += band.min_time_s;
      if (band.plan_start_s !== null) { t0 = Math.min(t0, band.plan_start_s); t1 = Math.max(t1, band.plan_end_s); }
    }
    const span = isFinite(t0) ? t1 - t0 : null;
    h += '<tr><td>block ' + i + '</td><td>' + mn + '</td><td>' + cn + '</td><td>' + k.nodes + '</td><td>' + fmtT(fast) + '</td><td>' + (span === null ? '-' : fmtT(t0) + ' \u2013 ' + fmtT(t1)) + '</td><td>' + fmtT(span) + '</td></tr>';
  });
  sec.innerHTML = h + '</table>';
}

// ---------- devices and links ----------
function devicesView(sec) {
  let h = '<h2>Devices</h2><table><tr><th>device</th><th>type</th><th>server</th><th>nodes</th><th>busy</th><th>idle</th><th>busy share</th><th>memory used</th><th>capacity</th><th></th></tr>';
  D.devices.forEach((d, i) => {
    const span = d.busy_s + d.idle_s, cap = d.memory_capacity_bytes;
    h += '<tr><td><i style="display:inline-block;width:10px;height:10px;background:' + devColor(i) + '"></i> ' + esc(d.name) + '</td><td>' + esc(d.type) + '</td><td>' + esc(d.server || '-') + '</td><td>' + d.nodes + '</td><td>' + fmtT(d.busy_s) + '</td><td>' + fmtT(d.idle_s) +
      '</td><td>' + bar(span > 0 ? d.busy_s / span : 0) + ' ' + pct(span > 0 ? d.busy_s / span : null) + '</td><td>' + fmtB(d.memory_used_bytes) + '</td><td>' + fmtB(cap) + '</td><td>' +
      (cap === null ? '' : bar(d.memory_used_bytes / cap, d.memory_used_bytes > cap) + ' ' + pct(d.memory_used_bytes / cap)) + '</td></tr>';
  });
  h += '</table><h2>Links</h2>';
  if (!D.links.length) h += '<p class="muted">no transfer between devices</p>';
  else {
    h += '<table><tr><th>link</th><th>transfers</th><th>bytes</th><th>time</th><th>bandwidth</th><th>latency</th></tr>';
    D.links.forEach(l => { h += '<tr><td>' + esc(devName(l.from) + ' \u2192 ' + devName(l.to)) + '</td><td>' + l.transfers + '</td><td>' + fmtB(l.bytes) + '</td><td>' + fmtT(l.time_s) + '</td><td>' + (l.bandwidth_Bps === null ? 'unlimited' : fmtB(l.bandwidth_Bps) + '/s') + '</td><td>' + fmtT(l.latency_s) + '</td></tr>'; });
    h += '</table>';
  }
  sec.innerHTML = h;
}

// ---------- throughput ----------
function throughputView(sec) {
  const T = D.throughput;
  let h = '<h2>Throughput</h2><div>period <b>' + fmtT(T.period_s) + '</b>, throughput <b>' + (T.throughput_per_s === null ? '-' : T.throughput_per_s.toPrecision(5)) + ' samples/s</b> (upper bound ' +
    (T.throughput_upper_bound_per_s === null ? '-' : T.throughput_upper_bound_per_s.toPrecision(5)) + '), ' + T.replicas + (T.replicas === 1 ? ' replica' : ' replicas') + ', bottleneck <b>' + esc(T.bottleneck || '-') + '</b></div>';
  h += '<table><tr><th>device</th><th>load per period</th><th>utilisation</th>' + T.replica_nodes_per_device.map((_, r) => '<th>replica ' + r + '</th>').join('') + '</tr>';
  D.devices.forEach((d, i) => { h += '<tr><td>' + esc(d.name) + '</td><td>' + fmtT(T.device_load_s[i]) + '</td><td>' + bar(T.utilisation[i]) + ' ' + pct(T.utilisation[i]) + '</td>' + T.replica_nodes_per_device.map(c => '<td>' + c[i] + '</td>').join('') + '</tr>'; });
  h += '</table>';
  if (T.link_utilisation.length) {
    h += '<table><tr><th>link</th><th>load per period</th><th>utilisation</th></tr>';
    T.link_utilisation.forEach(l => { h += '<tr><td>' + esc(devName(l.from) + ' \u2192 ' + devName(l.to)) + '</td><td>' + fmtT(l.load_s) + '</td><td>' + bar(l.utilisation) + ' ' + pct(l.utilisation) + '</td></tr>'; });
    h += '</table>';
  }
  h += '<div>latency per replica: ' + T.replica_latency_s.map(fmtT).join(', ') + '</div>';
  if (T.simulation) h += '<div>simulated (' + T.simulation.samples + ' samples): ' + (T.simulation.throughput_per_s || 0).toPrecision(5) + ' samples/s, mean latency ' + fmtT(T.simulation.mean_latency_s) + '</div>';
  sec.innerHTML = h;
}

// ---------- diviml bench: the solver table and gap vs solve time ----------
function benchView(sec) {
  const rows = D.bench, solvers = [...new Set(rows.map(r => r.solver))];
  let h = '<h2>Solver comparison (diviml bench)</h2><div id="bplot"></div><table><tr><th>graph</th><th>platform</th><th>solver</th><th>status</th><th>makespan</th><th>lower bound</th><th>gap</th><th>solve time</th></tr>';
  rows.forEach(r => { h += '<tr><td>' + esc(r.graph) + '</td><td>' + esc(r.platform) + '</td><td>' + esc(r.solver) + '</td><td>' + esc(r.status) + '</td><td>' + fmtT(r.makespan_s) + '</td><td>' + fmtT(r.lower_bound_s) + '</td><td>' + pct(r.gap) + '</td><td>' + fmtT(r.solve_time_s) + '</td></tr>'; });
  sec.innerHTML = h + '</table>';
  const pts = rows.filter(r => r.gap !== null && isFinite(r.gap) && r.gap >= 0);
  const W = 560, Hh = 260, L = 60, B = 36;
  const tmin = Math.max(1e-7, Math.min(...pts.map(r => r.solve_time_s).filter(t => t > 0), 1)) / 2, tmax = Math.max(tmin * 20, ...pts.map(r => 2 * r.solve_time_s));
  const gmax = Math.max(0.01, ...pts.map(r => r.gap));
  const X = t => L + (Math.log10(Math.max(t, tmin)) - Math.log10(tmin)) / (Math.log10(tmax) - Math.log10(tmin)) * (W - L - 10);
  const Y = g => Hh - B - g / gmax * (Hh - B - 10);
  const p = ['<svg id="benchplot" width="' + W + '" height="' + Hh + '" font-size="10"><rect x="' + L + '" y="10" width="' + (W - L - 10) + '" height="' + (Hh - B - 10) + '" fill="#fafafa" stroke="#ccc"/>'];
  for (let e = Math.floor(Math.log10(tmin)); e <= Math.ceil(Math.log10(tmax)); ++e) {
    const t = Math.pow(10, e); if (t < tmin || t > tmax) continue;
    p.push('<text x="' + X(t) + '" y="' + (Hh - B + 14) + '" text-anchor="middle">' + esc(fmtT(t)) + '</text>');
  }
  for (let k = 0; k <= 4; ++k) p.push('<text x="' + (L - 4) + '" y="' + (Y(gmax * k / 4) + 3) + '" text-anchor="end">' + pct(gmax * k / 4) + '</text>');
  p.push('<text x="' + (L + (W - L) / 2) + '" y="' + (Hh - 4) + '" text-anchor="middle">solve time (log)</text><text x="12" y="' + (Hh / 2) + '" transform="rotate(-90 12 ' + (Hh / 2) + ')" text-anchor="middle">gap</text>');
  pts.forEach(r => { const i = solvers.indexOf(r.solver); p.push('<circle cx="' + X(r.solve_time_s) + '" cy="' + Y(r.gap) + '" r="4" fill="' + DEVICE_COLORS[i % DEVICE_COLORS.length] + '" opacity="0.8"><title>' + esc(r.solver + ' on ' + r.graph + ' / ' + r.platform + ': gap ' + pct(r.gap) + ', ' + fmtT(r.solve_time_s)) + '</title></circle>'); });
  p.push('</svg>');
  el('bplot').innerHTML = p.join('') + '<div class="legend">' + solvers.map((s, i) => '<span><i style="background:' + DEVICE_COLORS[i % DEVICE_COLORS.length] + '"></i>' + esc(s) + '</span>').join('') + '</div>';
}

// ---------- extra views (data.views): one function per name ----------
// VIEWS[name](section, value) draws data.views[name]; a view without a
// function is shown as JSON. The LLM planner's view (stages over servers,
// memory per device) is one more entry here.
const VIEWS = {};
function genericView(sec, name, value) {
  sec.innerHTML = '<h2>' + esc(name) + '</h2><pre>' + esc(JSON.stringify(value, null, 1)) + '</pre>';
}

function summaryHeader() {
  const s = D.summary, ok = s.has_plan;
  el('title').textContent = s.title + ' \u2014 ' + s.solver;
  document.title = 'DiviML: ' + s.title;
  el('chips').innerHTML = ['<span class="' + (ok ? 'good' : 'bad') + '">' + esc(s.status) + '</span>', '<span>' + esc(s.objective) + '</span>',
    '<span>' + esc(s.value_name) + ' ' + esc(fmtT(s.value_s)) + '</span>', '<span>lower bound ' + esc(fmtT(s.lower_bound_s)) + '</span>', '<span>gap ' + esc(pct(s.gap)) + '</span>',
    '<span>' + s.nodes + ' nodes, ' + s.edges + ' edges, ' + D.devices.length + ' devices</span>', '<span>solve ' + esc(fmtT(s.solve_time_s)) + '</span>'].join('') +
    (s.message ? '<div class="muted" style="color:#cde">' + esc(s.message) + '</div>' : '');
}
function section(id) { const s = document.createElement('section'); s.id = id; el('main').appendChild(s); return s; }
function render() {
  const t0 = performance.now();
  summaryHeader();
  graphView(section('graph'));
  ganttView(section('gantt'));
  boundView(section('bound'));
  devicesView(section('devices'));
  if (D.throughput) throughputView(section('throughput'));
  if (D.bench) benchView(section('bench'));
  Object.keys(D.views || {}).forEach(name => { const s = section('view-' + name); (VIEWS[name] || ((x, v) => genericView(x, name, v)))(s, D.views[name]); });
  window.__report = {selectNode: selectNode, renderMs: performance.now() - t0, nodes: D.nodes.length};
  document.body.dataset.ready = '1';
}
render();
)JS";

}  // namespace

std::string ResultHtml(const Problem& pr, const Result& r, const ReportOptions& options) {
  // ASCII-only JSON with every '<' escaped: nothing in the data can end the
  // script element or change the page's encoding.
  std::string data = ReportData(pr, r, options).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
  std::string safe;
  safe.reserve(data.size());
  for (char c : data) {
    if (c == '<') safe += "\\u003c";
    else safe += c;
  }
  std::string page;
  page.reserve(safe.size() + 40000);
  page += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  page += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
          "script-src 'unsafe-inline'; img-src data:\">\n";
  page += "<title>DiviML report</title>\n<style>";
  page += kCss;
  page += "</style></head>\n<body><header><h1 id=\"title\"></h1><div id=\"chips\" class=\"chips\"></div></header>\n";
  page += "<main id=\"main\"></main>\n<script type=\"application/json\" id=\"report-data\">";
  page += safe;
  page += "</script>\n<script>";
  page += kJs;
  page += "</script>\n</body></html>\n";
  return page;
}

}  // namespace diviml
