// Drives the console in headless Chromium (Debian's package) with puppeteer-core from testing/node: logs in with a
// token, reads the overview's charts over time, finds a trace by request id, opens its waterfall and reads its link into
// the external backend, collapses it, opens the usage page and the trace of a call whose tool name is markup (XSS),
// (its table, charts and quota utilisation), saving a screenshot of each step. Prints one JSON object of what it saw.
// Env: BASE (gateway URL), TOKEN, REQUEST_ID, XSS_REQUEST_ID, SHOTS (screenshot directory), PROFILE (fresh
// user-data-dir), CHROMIUM (default /usr/bin/chromium), NODE_MODULES (set by NodePeers).
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const require = createRequire(path.join(process.env.NODE_MODULES, 'noop.js'));
const puppeteer = require('puppeteer-core');
const base = process.env.BASE;
const shots = process.env.SHOTS;
fs.mkdirSync(shots, { recursive: true });

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  userDataDir: process.env.PROFILE,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const out = { screenshots: [], dialogs: [], cspViolations: [], pageErrors: [] };
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  page.on('dialog', async (d) => { out.dialogs.push(d.message()); await d.dismiss(); });
  page.on('pageerror', (e) => out.pageErrors.push(String(e)));
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) out.cspViolations.push(m.text()); });
  const shot = async (name) => {
    const file = path.join(shots, name + '.png');
    await page.screenshot({ path: file, fullPage: true });
    out.screenshots.push(file);
  };

  // 1. the console sends an anonymous browser to its login page
  await page.goto(base + '/console/', { waitUntil: 'load' });
  out.loginUrl = page.url();
  await shot('01-login');
  await page.type('#token', process.env.TOKEN);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#login')]);
  out.afterLoginUrl = page.url();
  out.overviewHeading = await page.$eval('h1', (e) => e.textContent);
  out.overviewTools = await page.$$eval('#tool-stats tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
  await shot('02-overview');
  // the charts over time: inline SVG drawn by the server, coloured by the style sheet (no inline style)
  out.charts = await page.$$eval('figure.chart svg', (svgs) => svgs.map((svg) => ({
    id: svg.id, width: svg.getBoundingClientRect().width, lines: svg.querySelectorAll('polyline').length,
    points: svg.querySelectorAll('circle').length,
    tooltips: Array.from(svg.querySelectorAll('circle title')).map((t) => t.textContent),
    pointColour: svg.querySelector('circle') ? getComputedStyle(svg.querySelector('circle')).fill : null })));
  out.chartLegend = await page.$$eval('#tool-charts + .chart-legend', (ps) => ps.map((p) => p.textContent));
  out.overviewImages = await page.$$eval('main img', (imgs) => imgs.length);
  const charts = await page.$('#tool-charts');
  await charts.screenshot({ path: path.join(shots, '09-overview-charts.png') });
  out.screenshots.push(path.join(shots, '09-overview-charts.png'));
  const cookies = await browser.defaultBrowserContext().cookies(base);
  out.sessionCookie = cookies.filter((c) => c.name === 'mcpgw_console')
    .map((c) => ({ httpOnly: c.httpOnly, sameSite: c.sameSite }))[0] || null;

  // 2. trace search by request id
  await page.goto(base + '/console/traces', { waitUntil: 'load' });
  await page.type('#q-requestId', process.env.REQUEST_ID);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#search')]);
  out.searchRows = await page.$$eval('#traces tbody tr', (rows) => rows.map((r) => ({
    trace: r.dataset.trace, cells: Array.from(r.cells).map((c) => c.textContent) })));
  await shot('03-search');

  // 3. its waterfall
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#traces tbody tr a')]);
  out.traceUrl = page.url();
  out.spans = await page.$$eval('#waterfall > tbody > tr', (rows) => rows.map((r) => ({
    kind: r.dataset.kind, name: r.dataset.name, span: r.dataset.span, parent: r.dataset.parent,
    critical: r.classList.contains('critical'), error: r.classList.contains('error'),
    barWidth: Number(r.querySelector('rect').getAttribute('width')) })));
  await page.click('#waterfall > tbody > tr details summary');
  out.firstSpanAttributes = await page.$$eval('#waterfall > tbody > tr:first-child table.attributes th',
    (ths) => ths.map((t) => t.textContent));
  out.backendLink = await page.$eval('#backend-link', (a) => ({ href: a.href, text: a.textContent,
    target: a.target, rel: a.rel })).catch(() => null);
  await shot('04-trace');
  await page.click('#waterfall > tbody > tr:first-child button.toggle');
  out.hiddenAfterCollapse = await page.$$eval('#waterfall > tbody > tr', (rows) => rows.filter((r) => r.hidden).length);
  await shot('05-trace-collapsed');
  await page.click('#waterfall > tbody > tr:first-child button.toggle');
  out.hiddenAfterExpand = await page.$$eval('#waterfall > tbody > tr', (rows) => rows.filter((r) => r.hidden).length);
  const otlp = await page.$eval('#copy-otlp', (b) => b.dataset.url);
  out.otlpSpanCount = await page.evaluate(async (u) => {
    const r = await fetch(u, { credentials: 'same-origin' });
    const j = await r.json();
    return j.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)).length;
  }, otlp);

  // 4. usage and registry
  await page.goto(base + '/console/usage', { waitUntil: 'load' });
  await page.select('#u-range', '1h');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#u-apply')]);
  out.usageRows = await page.$$eval('#usage-table tbody tr', (rows) => rows.map((r) =>
    Array.from(r.cells).map((c) => c.textContent)));
  out.usageCharts = await page.$$eval('#usage-charts svg', (svgs) => svgs.map((svg) => ({
    id: svg.id, points: svg.querySelectorAll('circle').length })));
  out.quotaRows = await page.$$eval('#quotas tbody tr', (rows) => rows.map((r) => ({
    user: r.cells[1].textContent, utilization: r.cells[6].textContent.trim(),
    nearLimit: r.classList.contains('near-limit'), meter: r.querySelector('meter').value })));
  out.usageImages = await page.$$eval('main img', (imgs) => imgs.length);
  await shot('06-usage');
  await page.goto(base + '/console/registry', { waitUntil: 'load' });
  out.registryTools = await page.$$eval('#tools tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
  await shot('07-registry');

  // 5. XSS: a tool name that is markup must show as text, in the list and in the waterfall
  await page.goto(base + '/console/traces?requestId=' + encodeURIComponent(process.env.XSS_REQUEST_ID),
    { waitUntil: 'load' });
  out.xssListNames = await page.$$eval('#traces tbody tr td:nth-child(2)', (tds) => tds.map((t) => t.textContent));
  out.xssListImages = await page.$$eval('main img', (imgs) => imgs.length);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#traces tbody tr a')]);
  await page.$$eval('#waterfall details', (ds) => ds.forEach((d) => { d.open = true; }));
  out.xssSpanNames = await page.$$eval('#waterfall .span-name', (s) => s.map((e) => e.textContent));
  out.xssTraceImages = await page.$$eval('main img', (imgs) => imgs.length);
  await shot('08-xss');
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
