// A list that shows only the rows in view and fetches them a page at a time, so 100 000 subjects
// scroll as smoothly as 100. Rows have a fixed height.

import { h, replace } from '../dom.js';

const PAGE = 100;
const OVERSCAN = 8;

/**
 * virtualList({ label, rowHeight, fetch(offset, limit) → Promise<{rows, total}>, row(data) → Element,
 *               placeholder() → Element, onTotal(total), onPainted() })
 * Returns { root, reset() }: reset() starts over (a new query).
 */
export function virtualList(opts) {
  const rowH = opts.rowHeight;
  const rowsEl = h('div', { class: 'vlist-rows', role: 'list' });
  const spacer = h('div', { class: 'vlist-spacer' }, rowsEl);
  // Focusable so the list scrolls with the keyboard; named for screen readers (`opts.label`).
  const root = h('div', { class: 'vlist', tabindex: '0', role: 'region', 'aria-label': opts.label || false }, spacer);
  let pages = new Map();
  let total = 0;
  let generation = 0;
  let pending = new Set();

  function load(page) {
    if (pages.has(page) || pending.has(page)) return;
    pending.add(page);
    const gen = generation;
    opts.fetch(page * PAGE, PAGE).then((res) => {
      if (gen !== generation) return; // an older query answered late
      pending.delete(page);
      pages.set(page, res.rows);
      if (page === 0 || res.total !== total) {
        total = res.total;
        spacer.style.height = `${total * rowH}px`;
        opts.onTotal?.(total, res.capped);
      }
      paint();
      opts.onPainted?.();
    }).catch((err) => {
      pending.delete(page);
      opts.onError?.(err);
    });
  }

  function paint() {
    const first = Math.max(0, Math.floor(root.scrollTop / rowH) - OVERSCAN);
    const visible = Math.ceil((root.clientHeight || 600) / rowH) + 2 * OVERSCAN;
    const last = Math.min(total, first + visible);
    const els = [];
    for (let i = first; i < last; i++) {
      const page = Math.floor(i / PAGE);
      const data = pages.get(page)?.[i - page * PAGE];
      if (!data) load(page);
      els.push(data ? opts.row(data, i) : opts.placeholder());
    }
    rowsEl.style.transform = `translateY(${first * rowH}px)`;
    replace(rowsEl, els);
  }

  root.addEventListener('scroll', () => requestAnimationFrame(paint), { passive: true });

  return {
    root,
    reset() {
      generation += 1;
      pages = new Map();
      pending = new Set();
      total = 0;
      root.scrollTop = 0;
      spacer.style.height = '0px';
      load(0);
    },
  };
}
