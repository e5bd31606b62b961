// Small inline SVG charts for the operator console: no library, no CDN. Every label is set as text (never markup).
const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function reset(svg, width, height) {
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
}

/**
 * Calls per minute as bars, failures stacked in red, and the p95 latency as a line on its own scale: what a supplier
 * did over the last quarter hour at a glance. `minutes`: [{ at, calls, errors, p95LatencyMs }], oldest first.
 */
export function callsChart(svg, minutes, { width = 260, height = 64 } = {}) {
  reset(svg, width, height);
  const maxCalls = Math.max(1, ...minutes.map((m) => m.calls));
  const maxLatency = Math.max(1, ...minutes.map((m) => m.p95LatencyMs ?? 0));
  const slot = width / Math.max(1, minutes.length);
  const plot = height - 12;
  minutes.forEach((m, i) => {
    const x = i * slot + 1;
    const total = (m.calls / maxCalls) * plot;
    const failed = (m.errors / maxCalls) * plot;
    const bar = el('rect', { x, y: plot - total, width: Math.max(1, slot - 2), height: total, class: 'ok' });
    bar.append(el('title', {}, `${new Date(m.at).toLocaleTimeString()}: ${m.calls} calls, ${m.errors} failed, p95 ${m.p95LatencyMs ?? '–'} ms`));
    svg.append(bar);
    if (failed > 0) svg.append(el('rect', { x, y: plot - failed, width: Math.max(1, slot - 2), height: failed, class: 'bad' }));
  });
  const points = minutes
    .map((m, i) => (m.p95LatencyMs === null ? null : `${i * slot + slot / 2},${plot - (m.p95LatencyMs / maxLatency) * plot}`))
    .filter((p) => p !== null);
  if (points.length > 1) svg.append(el('polyline', { points: points.join(' '), class: 'latency' }));
  svg.append(el('text', { x: 0, y: height - 1, class: 'axis' }, `${minutes.length} min · max ${maxCalls} calls/min · p95 max ${Math.round(maxLatency)} ms`));
}

/** A horizontal gauge: `value` of `max` (quota left), coloured by how much is left. */
export function gauge(svg, value, max, { width = 120, height = 10 } = {}) {
  reset(svg, width, height);
  svg.append(el('rect', { x: 0, y: 0, width, height, class: 'track' }));
  if (value === null || value === undefined) return;
  const share = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
  svg.append(el('rect', { x: 0, y: 0, width: share * width, height, class: share < 0.1 ? 'bad' : share < 0.3 ? 'warn' : 'ok' }));
}

/**
 * Grouped bars, one group per item: e.g. reconciliation runs (checked, discrepancies, corrected) or stock changes
 * per supplier. `series`: [{ key, label, className }]; `items`: [{ label, ...values }].
 */
export function groupedBars(svg, items, series, { width = 520, height = 120 } = {}) {
  reset(svg, width, height);
  const plot = height - 28;
  const max = Math.max(1, ...items.flatMap((item) => series.map((s) => item[s.key] ?? 0)));
  const group = width / Math.max(1, items.length);
  const bar = Math.min(36, Math.max(2, (group - 8) / series.length));
  items.forEach((item, i) => {
    series.forEach((s, j) => {
      const value = item[s.key] ?? 0;
      const h = (value / max) * plot;
      const rect = el('rect', { x: i * group + 4 + j * bar, y: plot - h, width: Math.max(1, bar - 1), height: h, class: s.className });
      rect.append(el('title', {}, `${item.label}: ${s.label} ${value}`));
      svg.append(rect);
    });
    svg.append(el('text', { x: i * group + 4, y: plot + 12, class: 'axis' }, item.label));
  });
  series.forEach((s, j) => {
    svg.append(el('rect', { x: j * 120, y: height - 9, width: 8, height: 8, class: s.className }));
    svg.append(el('text', { x: j * 120 + 11, y: height - 1, class: 'axis' }, s.label));
  });
}
