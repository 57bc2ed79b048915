// Opens a DiviML HTML report in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core) and checks it (docs/report.md, "Tests"):
//   - no console error, no uncaught exception, no network request;
//   - the graph draws every node (as many as --nodes N says, each with a box);
//   - a click on a Gantt box selects that node in the graph, and a click on
//     a graph node selects its Gantt box (--no-plan: no box, "no plan");
//   - each --section ID is present and not empty;
//   - --bench-points N: the gap vs time plot has N points;
//   - a screenshot (kept as --png) is not blank: enough distinct colours,
//     and the graph panel shows saturated (device / operator) colours.
// With --measure K it only loads the page K times and prints the load times
// and the time to expand every block (the benchmark of docs/report.md). Exit 0 = every check passed; failures
// are printed one per line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {chromium} from 'playwright-core';

const args = process.argv.slice(2);
const opt = {sections: []};
for (let i = 0; i < args.length; ++i) {
  const a = args[i];
  if (a === '--nodes') opt.nodes = +args[++i];
  else if (a === '--png') opt.png = args[++i];
  else if (a === '--section') opt.sections.push(args[++i]);
  else if (a === '--bench-points') opt.benchPoints = +args[++i];
  else if (a === '--measure') opt.measure = +args[++i];
  else if (a === '--no-plan') opt.noPlan = true;
  else opt.html = a;
}
if (!opt.html || !fs.existsSync(opt.html)) {
  console.error('report_check: no such report: ' + opt.html);
  process.exit(1);
}
const CHROMIUM = process.env.DIVIML_CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(CHROMIUM)) {
  console.error('report_check: FAILED: ' + CHROMIUM + ' not found; install it with scripts/setup-browser.sh (Debian package chromium)');
  process.exit(1);
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'diviml-chromium-'));
// A fresh profile (--user-data-dir) per run: playwright passes it itself.
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  viewport: {width: 1400, height: 1000},
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const failures = [];
const fail = msg => failures.push(msg);
const url = 'file://' + path.resolve(opt.html);

async function openPage() {
  const page = await browser.newPage();
  const errors = [], requests = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  page.on('request', r => { if (r.url() !== url) requests.push(r.url()); });
  const t0 = Date.now();
  await page.goto(url, {waitUntil: 'load'});
  await page.waitForSelector('body[data-ready="1"]', {timeout: 20000});
  return {page, errors, requests, loadMs: Date.now() - t0};
}

try {
  if (opt.measure) {
    const times = [];
    for (let k = 0; k < opt.measure; ++k) {
      const {page, errors, loadMs} = await openPage();
      const render = await page.evaluate(() => window.__report.renderMs);
      // Every block expanded: all nodes drawn at once.
      const expand = await page.evaluate(() => {
        const t0 = performance.now();
        document.getElementById('expand').click();
        return {ms: performance.now() - t0, drawn: document.querySelectorAll('#gview .node:not([style])').length};
      });
      if (expand.drawn !== await page.evaluate(() => window.__report.nodes)) fail('expand all drew ' + expand.drawn + ' nodes');
      times.push({loadMs, renderMs: Math.round(render), expandAllMs: Math.round(expand.ms)});
      if (errors.length) fail('console errors: ' + errors.join(' | '));
      await page.close();
    }
    const sorted = times.map(t => t.loadMs).sort((a, b) => a - b);
    console.log(JSON.stringify({report: opt.html, bytes: fs.statSync(opt.html).size, runs: times,
                                median_load_ms: sorted[Math.floor(sorted.length / 2)]}));
  } else {
    const {page, errors, requests, loadMs} = await openPage();
    console.log('loaded in ' + loadMs + ' ms');
    // Every node drawn, with a real box.
    const drawn = await page.evaluate(() => {
      const out = {count: 0, empty: 0, ids: new Set()};
      document.querySelectorAll('#gview .node').forEach(g => {
        out.count++; out.ids.add(g.dataset.node);
        const r = g.getBoundingClientRect();
        if (!(r.width > 0 && r.height > 0)) out.empty++;
      });
      return {count: out.count, empty: out.empty, distinct: out.ids.size, data: window.__report.nodes};
    });
    if (opt.nodes !== undefined && drawn.data !== opt.nodes) fail('data has ' + drawn.data + ' nodes, the graph has ' + opt.nodes);
    if (drawn.count !== drawn.data || drawn.distinct !== drawn.data) fail('graph draws ' + drawn.distinct + ' of ' + drawn.data + ' nodes');
    if (drawn.empty) fail(drawn.empty + ' nodes drawn with an empty box (hidden)');
    // Gantt -> graph: a real mouse click on the widest box.
    const box = await page.evaluate(() => {
      let best = null;
      document.querySelectorAll('#ganttbox .gbox').forEach(r => {
        const b = r.getBoundingClientRect();
        if (!best || b.width > best.w) best = {v: r.dataset.node, w: b.width};
      });
      return best;
    });
    if (opt.noPlan) {
      if (box) fail('a result without a plan has Gantt boxes');
      const txt = await page.evaluate(() => document.getElementById('gantt').textContent);
      if (!/no plan/.test(txt)) fail('the Gantt section does not say "no plan"');
    } else if (!box) fail('the Gantt chart has no box');
    else {
      const loc = page.locator('#ganttbox .gbox[data-node="' + box.v + '"]');
      await loc.scrollIntoViewIfNeeded();
      await loc.click();
      const sel = await page.evaluate(() => ({body: document.body.dataset.selected,
        graph: [...document.querySelectorAll('#gview .node.sel')].map(g => g.dataset.node),
        details: document.getElementById('details').textContent}));
      if (sel.body !== box.v || sel.graph.length !== 1 || sel.graph[0] !== box.v)
        fail('clicking Gantt box of node ' + box.v + ' selected ' + JSON.stringify(sel.graph));
      // Graph -> Gantt: click another node in the graph.
      const other = String((+box.v + 1) % drawn.data);
      await page.locator('#gview .node[data-node="' + other + '"] rect.box').dispatchEvent('click');
      const gsel = await page.evaluate(() => [...document.querySelectorAll('#ganttbox .gbox.sel')].map(r => r.dataset.node));
      if (gsel.length !== 1 || gsel[0] !== other) fail('clicking graph node ' + other + ' selected Gantt boxes ' + JSON.stringify(gsel));
    }
    for (const id of opt.sections) {
      const txt = await page.evaluate(id => { const s = document.getElementById(id); return s ? s.textContent.trim() : null; }, id);
      if (!txt) fail('section #' + id + ' missing or empty');
    }
    if (opt.benchPoints !== undefined) {
      const pts = await page.evaluate(() => document.querySelectorAll('#benchplot circle').length);
      if (pts !== opt.benchPoints) fail('bench plot has ' + pts + ' points, expected ' + opt.benchPoints);
    }
    // Screenshot, then its distinct colours counted in a blank page.
    await page.evaluate(() => window.scrollTo(0, 0));
    const png = await page.screenshot({fullPage: false});
    if (opt.png) fs.writeFileSync(opt.png, png);
    if (errors.length) fail('console errors: ' + errors.join(' | '));
    if (requests.length) fail('network requests: ' + requests.join(' '));
    const graphPng = await page.locator('#graphbox').screenshot();
    const blank = await browser.newPage();
    const colourStats = b64 => blank.evaluate(async b64 => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width; c.height = img.height;
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data, count = new Map();
      for (let i = 0; i < d.length; i += 4) {
        const k = (d[i] >> 3) << 10 | (d[i + 1] >> 3) << 5 | (d[i + 2] >> 3);
        count.set(k, (count.get(k) || 0) + 1);
      }
      // Saturated colours (max - min channel > 80 of 255) on >= 100 pixels:
      // device and operator fills, not grey text or anti-aliasing.
      let top = 0, many = 0, vivid = 0;
      for (const [k, v] of count.entries()) {
        top = Math.max(top, v);
        if (v >= 50) many++;
        const r = (k >> 10) << 3, g = ((k >> 5) & 31) << 3, b = (k & 31) << 3;
        if (v >= 100 && Math.max(r, g, b) - Math.min(r, g, b) > 80) vivid++;
      }
      return {colours: many, vivid, topShare: top / (d.length / 4)};
    }, b64);
    const stats = await colourStats(png.toString('base64'));
    const graphStats = await colourStats(graphPng.toString('base64'));
    console.log('screenshot: ' + stats.colours + ' colours on >= 50 pixels, most common ' + (100 * stats.topShare).toFixed(1) + '%');
    console.log('graph panel: ' + graphStats.vivid + ' saturated colours on >= 100 pixels');
    if (stats.colours < 12 || stats.topShare > 0.9) fail('screenshot looks blank: ' + JSON.stringify(stats));
    // With a plan the graph shows its devices' colours (the plan uses >= 1
    // device; op stripes add more): at least 2 saturated colours.
    if (!opt.noPlan && graphStats.vivid < 2) fail('graph panel has no device colours: ' + JSON.stringify(graphStats));
  }
} catch (e) {
  fail('error: ' + (e && e.stack || e));
} finally {
  await browser.close();
  fs.rmSync(profile, {recursive: true, force: true});
}
if (failures.length) {
  failures.forEach(f => console.error('report_check: FAILED: ' + f));
  process.exit(1);
}
console.log('report_check: ok ' + opt.html);
