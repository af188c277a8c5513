// The journal of requests kept before Derbes, brought in: choose the file, read the report per
// row, then write everything (or the valid rows) in one transaction.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { messageBox } from '../widgets/common.js';

/** `done()`: the list reloads after a commit. */
export function journalImport(done) {
  const box = messageBox('journal-import-message', 'notice');
  const work = h('div', { id: 'journal-import-work' });
  const choose = h('button', { type: 'button', id: 'journal-import-choose', onclick: async () => {
    box.show('');
    try {
      const p = await api.requestImportOpen(t('dialog.journal'));
      if (p) replace(work, preview(p));
    } catch (err) { box.show(errorText(err)); }
  } }, t('journal.choose'));

  function preview(p) {
    const r = p.report;
    const skip = h('input', { type: 'checkbox', id: 'journal-import-skip' });
    const commit = h('button', { type: 'button', class: 'primary', id: 'journal-import-commit', onclick: async () => {
      commit.disabled = true;
      try {
        const d = await api.requestImportCommit(skip.checked);
        replace(work);
        box.show(t('journal.done', { n: d.created }));
        done();
      } catch (err) { box.show(errorText(err)); commit.disabled = false; }
    } }, t('journal.commit'));
    const lines = [...r.notes, ...r.issues].sort((a, b) => a[0] - b[0]);
    return h('div', { class: 'card' },
      h('p', { id: 'journal-import-summary' }, t('journal.summary', { name: p.fileName, rows: r.rows, open: r.open, closed: r.closed, attached: r.attached, invalid: r.invalidRows })),
      lines.length ? h('table', { class: 'grid issues', id: 'journal-import-issues' }, h('tbody', {}, lines.slice(0, 500).map(([line, field, code]) =>
        h('tr', {}, h('td', {}, t('import.line', { line })), h('td', {}, t(`reqfield.${field}`) !== `reqfield.${field}` ? t(`reqfield.${field}`) : field), h('td', {}, t(`issue.${code}`)))))) : null,
      r.invalidRows ? h('label', { class: 'check' }, skip, h('span', {}, t('import.skip_invalid'))) : null,
      h('div', { class: 'actions' }, commit));
  }
  return h('section', { class: 'card-section', id: 'journal-import' },
    h('h3', {}, t('journal.title')), h('p', { class: 'hint' }, t('journal.hint')),
    h('div', { class: 'toolbar' }, choose), box.el, work);
}
