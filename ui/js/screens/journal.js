// The journal: the latest entries, and the check of the whole chain.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { messageBox } from '../widgets/common.js';

export function journalView(app) {
  const box = messageBox('journal-result', 'notice');
  const table = h('div', {}, h('p', { class: 'muted' }, t('subjects.loading')));
  api.journalRecent(200).then((rows) => replace(table, h('table', { class: 'grid', id: 'journal-table' },
    h('thead', {}, h('tr', {}, ['#', t('journal.col.at'), t('journal.col.user'), t('journal.col.action'), t('journal.col.record')].map((x) => h('th', {}, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {},
      h('td', { class: 'mono' }, String(r.seq)),
      h('td', {}, new Date(r.at).toLocaleString()),
      h('td', {}, r.osUser),
      h('td', { class: 'mono' }, r.action),
      h('td', {}, [r.recordKind ? `${r.recordKind} ${r.recordId}` : '', r.requestId ? ` · #${r.requestId}` : '', r.detail ? ` · ${r.detail}` : ''].join('')))))))
  ).catch((err) => app.handleError(err, table));
  return h('section', { class: 'area wide', id: 'area-journal' },
    h('h1', {}, t('journal.title')),
    h('p', { class: 'lead' }, t('journal.lead')),
    h('div', { class: 'toolbar' }, h('button', {
      type: 'button', id: 'journal-verify',
      onclick: async () => {
        try { box.show(t('journal.intact', { n: await api.journalVerify() })); } catch (err) { box.show(errorText(err)); }
      },
    }, t('journal.verify')), h('button', {
      type: 'button', id: 'journal-export',
      onclick: async () => {
        try {
          const n = await api.journalExport(t('dialog.journal'));
          if (n !== null && n !== undefined) box.show(t('export.rows', { n }));
        } catch (err) { box.show(errorText(err)); }
      },
    }, t('journal.export'))),
    box.el, table);
}
