// The Letters area: the register of issued letters and acts, newest first, with filters, and for
// each Save as…, Print, and "Correct" (a new document replacing it: an issued one never changes).
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import { vocab } from '../vocab.js';
import * as api from '../api.js';
import { fmtDate } from '../format.js';
import { messageBox } from '../widgets/common.js';
import { letterEditor, letterActions } from '../sections/letter-editor.js';

const PAGE = 100;
const filters = { kind: '', year: '', text: '' };

export function lettersView(app) {
  const body = h('div', { class: 'area-body' });
  const root = h('section', { class: 'area wide', id: 'area-letters' }, h('h1', {}, t('nav.letters')), body);
  const showList = () => replace(body, registerView(app, { correct }));
  function correct(row) {
    replace(body, letterEditor(app, { kind: row.kind, lang: row.lang, requestId: row.requestId, subjectId: row.subjectId, corrects: row.id },
      { cancel: showList }));
  }
  showList();
  return root;
}

function registerView(app, { correct }) {
  const box = messageBox('letters-message', 'notice');
  const count = h('span', { class: 'muted', id: 'letters-count' });
  const kind = h('select', { id: 'letters-kind', 'aria-label': t('letter.kind') },
    h('option', { value: '' }, t('letters.all_kinds')), vocab.letterKinds.map((k) => h('option', { value: k, selected: k === filters.kind }, t(`doc.${k}`))));
  const year = h('input', { id: 'letters-year', inputmode: 'numeric', size: '5', placeholder: t('letters.year'), value: filters.year, 'aria-label': t('letters.year') });
  const text = h('input', { id: 'letters-text', type: 'search', placeholder: t('letters.search'), value: filters.text, 'aria-label': t('letters.search') });
  const tbody = h('tbody', { id: 'letters-rows' });
  const more = h('button', { type: 'button', id: 'letters-more', hidden: true }, t('letters.more'));
  let offset = 0;
  let timer = null;

  async function load(append = false) {
    filters.kind = kind.value; filters.year = year.value.trim(); filters.text = text.value;
    if (!append) offset = 0;
    try {
      const page = await api.letterList({ kind: filters.kind || null, year: /^\d{4}$/.test(filters.year) ? Number(filters.year) : null, text: filters.text, offset, limit: PAGE });
      const rows = page.rows.map((r) => rowView(app, r, box, correct));
      if (append) tbody.append(...rows); else replace(tbody, rows);
      offset += page.rows.length;
      count.textContent = t('letters.count', { n: page.total });
      more.hidden = offset >= page.total;
      if (!page.total) replace(tbody, h('tr', {}, h('td', { colspan: '7', class: 'muted', id: 'letters-empty' }, t('letters.empty'))));
    } catch (err) { app.handleError(err, tbody); }
  }
  more.addEventListener('click', () => load(true));
  kind.addEventListener('change', () => load());
  for (const el of [year, text]) el.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => load(), 150); });
  load();
  return h('div', {},
    h('p', { class: 'lead' }, t('area.letters.about')),
    h('div', { class: 'toolbar filters' }, kind, year, text, count,
      h('button', { type: 'button', id: 'letters-export', onclick: async () => {
        try {
          const n = await api.lettersRegisterExport(t('dialog.letters'));
          if (n !== null && n !== undefined) box.show(t('export.rows', { n }));
        } catch (err) { box.show(errorText(err)); }
      } }, t('letters.export'))),
    box.el,
    h('table', { class: 'grid', id: 'letters-table' },
      h('thead', {}, h('tr', {}, ['letters.col.number', 'letters.col.date', 'letters.col.kind', 'letters.col.addressee',
        'letters.col.request', 'letters.col.pages', ''].map((k) => h('th', {}, k ? t(k) : '')))),
      tbody),
    more);
}

function rowView(app, r, box, correct) {
  const actions = h('td', { class: 'row-actions' });
  const open = h('button', { type: 'button', class: 'small', id: `letter-open-${r.id}`, onclick: () => {
    replace(actions, letterActions(app, r, box),
      h('button', { type: 'button', class: 'small', id: `letter-correct-${r.id}`, onclick: () => correct(r) }, t('letters.correct')));
  } }, t('letters.actions'));
  actions.append(open);
  return h('tr', { 'data-letter': r.id, 'data-number': r.number },
    h('td', { class: 'mono' }, r.number, r.corrects ? h('div', { class: 'muted small' }, t('letters.corrects_id', { id: r.corrects })) : null),
    h('td', { class: 'date' }, fmtDate(r.issuedOn)),
    h('td', {}, t(`doc.${r.kind}`), h('span', { class: 'muted small' }, ` · ${r.lang}`)),
    h('td', {}, r.redactedOn ? h('span', { class: 'muted' }, t('doc.redacted', { date: fmtDate(r.redactedOn) })) : (r.addressee || '—')),
    h('td', {}, r.requestId ? h('button', { type: 'button', class: 'link', onclick: () => app.openRequest?.(r.requestId) }, `№ ${r.requestId}`) : '—'),
    h('td', { class: 'num' }, String(r.pages)),
    actions);
}
