// The mcpgw console's script layer: collapsing the waterfall and copying a trace as OTLP JSON. No framework, no
// network access but this gateway's own /observability API, nothing from a span is ever put into innerHTML.
'use strict';

function descendants(row) {
  const rows = Array.from(document.querySelectorAll('#waterfall > tbody > tr'));
  const ids = new Set([row.dataset.span]);
  const out = [];
  for (const r of rows.slice(rows.indexOf(row) + 1)) {
    if (ids.has(r.dataset.parent)) {
      ids.add(r.dataset.span);
      out.push(r);
    }
  }
  return out;
}

function setExpanded(row, expanded) {
  const button = row.querySelector('button.toggle');
  if (!button) {
    return;
  }
  button.setAttribute('aria-expanded', String(expanded));
  button.textContent = expanded ? '\u25BE' : '\u25B8';
  button.title = expanded ? 'collapse' : 'expand';
  for (const d of descendants(row)) {
    d.hidden = !expanded;
    const b = d.querySelector('button.toggle');
    if (b && expanded) {
      b.setAttribute('aria-expanded', 'true');
      b.textContent = '\u25BE';
    }
  }
}

document.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('#waterfall button.toggle')) {
    button.addEventListener('click', () => {
      const row = button.closest('tr');
      setExpanded(row, button.getAttribute('aria-expanded') !== 'true');
    });
  }
  const all = (expanded) => document.querySelectorAll('#waterfall > tbody > tr').forEach((r) => {
    if (!r.dataset.parent || !document.querySelector('#waterfall tr[data-span="' + CSS.escape(r.dataset.parent) + '"]')) {
      setExpanded(r, expanded);
    }
  });
  const expand = document.getElementById('expand-all');
  if (expand) {
    expand.addEventListener('click', () => all(true));
    document.getElementById('collapse-all').addEventListener('click', () => all(false));
  }
  const copy = document.getElementById('copy-otlp');
  if (copy) {
    copy.addEventListener('click', async () => {
      try {
        const response = await fetch(copy.dataset.url, { credentials: 'same-origin' });
        const text = await response.text();
        await navigator.clipboard.writeText(text);
        copy.textContent = 'Copied';
      } catch (e) {
        copy.textContent = 'Copy failed: use the OTLP JSON link';
      }
    });
  }
});
