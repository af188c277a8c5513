// The suppression list: who must not get marketing mail; export it, clean a mailing list with it.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate } from '../format.js';
import { messageBox } from '../widgets/common.js';

export function suppressionView(app, nav) {
  const box = messageBox('suppression-message', 'notice');
  const table = h('div', { id: 'suppression-table' }, h('p', { class: 'muted' }, t('subjects.loading')));
  const requireConsent = h('input', { type: 'checkbox', id: 'clean-require-consent' });
  // Whom a line is about: a person in the registry, an erased person (only keyed digests of her
  // addresses are left), or a sender who is not in the registry and refused by request.
  const whom = (r) => {
    if (r.erased) return t('suppression.erased', { id: r.subjectId });
    if (r.requestId) return r.name ? `${r.name} · ${t('suppression.by_request', { id: r.requestId })}` : t('suppression.by_request', { id: r.requestId });
    return r.name || t('suppression.entry');
  };
  const addresses = (r) => [r.emails.concat(r.phones).join(', '), r.hashed ? t('suppression.hashed', { n: r.hashed }) : '']
    .filter(Boolean).join(' · ');
  const open = (r) => {
    if (r.subjectId) nav.open(r.subjectId);
    else if (r.requestId) app.openRequest?.(r.requestId);
  };
  const load = () => api.suppressionList().then((rows) => {
    replace(table, rows.length
      ? h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, [t('col.name'), t('col.addresses'), t('col.reason'), t('col.since')].map((x) => h('th', {}, x)))),
        h('tbody', {}, rows.map((r) => h('tr', {
          class: r.subjectId || r.requestId ? 'clickable' : '',
          'data-id': r.subjectId ?? '', 'data-request': r.requestId ?? '', 'data-erased': r.erased ? '1' : '',
          onclick: () => open(r),
        },
        h('td', {}, whom(r)), h('td', {}, addresses(r)), h('td', {}, t(`reason.${r.reason}`)), h('td', { class: 'date' }, fmtDate(r.since))))))
      : h('p', { class: 'muted', id: 'suppression-empty' }, t('suppression.empty')));
  }).catch((err) => app.handleError(err, table));
  load();
  return h('div', { class: 'suppression' },
    h('p', { class: 'lead' }, t('suppression.lead')),
    h('div', { class: 'toolbar' },
      h('button', {
        type: 'button', id: 'suppression-export',
        onclick: async () => {
          try {
            const r = await api.exportSuppression(t('dialog.suppression'));
            if (r) {
              box.show([t('suppression.exported', { n: r.lines }), r.hashed ? t('suppression.not_exported', { n: r.hashed }) : '']
                .filter(Boolean).join(' '));
            }
          } catch (err) { box.show(errorText(err)); }
        },
      }, t('suppression.export')),
      h('button', {
        type: 'button', id: 'suppression-clean',
        onclick: async () => {
          try {
            const r = await api.cleanMailingList(t('dialog.clean_open'), t('dialog.clean_save'), requireConsent.checked);
            if (r) {
              const why = r.removedByReason.map(([k, n]) => `${t(`reason.${k}`)}: ${n}`).join(', ');
              const said = t('suppression.cleaned', { rows: r.rows, kept: r.kept, removed: r.removed });
              // The reasons go inside the sentence, before its full stop.
              box.show(why ? `${said.replace(/\.$/, '')} (${why}).` : said);
            }
          } catch (err) { box.show(errorText(err)); }
        },
      }, t('suppression.clean')),
      h('label', { class: 'check' }, requireConsent, h('span', {}, t('suppression.require_consent')))),
    box.el, table);
}
