// Retention (Law 94-V Art. 12; policy 5.7, 8.8, 8.9): who is held past their time and why, and
// carrying it out in one batch with one act.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { withProgress } from '../widgets/progress.js';
import { fmtDate, itemName, byId } from '../format.js';
import { erasureForm } from '../sections/erasure.js';

/** The retention view: who is past their time and why, and the batch with one act. */
export function retentionView(app, cats) {
  const PAGE = 200;
  const root = h('div', { class: 'view', id: 'retention-view' });
  const list = h('div', { id: 'retention-list' });
  const summary = h('p', { id: 'retention-summary' });
  const noBasis = h('div', { id: 'retention-no-basis' });
  const actions = h('div', { id: 'retention-actions' });
  const more = h('div');
  let offset = 0;
  const reason = (x) => t(`retention.reason.${x.reason}`, { date: fmtDate(x.endedOn) });
  const rows = (page) => page.rows.map((r) => h('tr', { 'data-subject': r.subjectId },
    h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => app.openSubject?.(r.subjectId) }, r.name)),
    h('td', {}, t(r.whole ? 'retention.whole' : 'retention.part')),
    h('td', {}, h('ul', { class: 'plain' }, r.holdings.map((x) => h('li', {},
      `${itemName(byId(cats.categories, x.categoryId))} — ${itemName(byId(cats.purposes, x.purposeId))}: ${reason(x)}`))))));
  const load = async () => {
    const page = await api.retentionSweep(offset, PAGE);
    if (offset === 0) {
      summary.textContent = page.whole + page.partial
        ? t('retention.summary', { n: page.whole + page.partial, whole: page.whole, part: page.partial })
        : t('retention.none');
      replace(noBasis, page.withoutBasis ? h('p', { class: 'message notice' }, t('retention.no_basis', { n: page.withoutBasis }), ' ',
        h('button', { type: 'button', class: 'small', id: 'retention-no-basis-open', onclick: () => app.go('subjects', { noBasis: true }) }, t('no_basis.open'))) : null);
      replace(list, page.rows.length ? h('table', { class: 'grid', id: 'retention-table' },
        h('thead', {}, h('tr', {}, h('th', {}, t('retention.col.person')), h('th', {}, t('retention.col.scope')), h('th', {}, t('retention.col.why')))),
        h('tbody', { id: 'retention-rows' }, rows(page))) : null);
      replace(actions, page.rows.length ? h('div', { class: 'toolbar' },
        h('button', { type: 'button', class: 'danger', id: 'retention-destroy', onclick: () => open('destroy') }, t('retention.destroy')),
        h('button', { type: 'button', id: 'retention-anonymize', onclick: () => open('anonymize') }, t('retention.anonymize'))) : null);
    } else {
      const body = root.querySelector('#retention-rows');
      rows(page).forEach((r) => body.appendChild(r));
    }
    offset += page.rows.length;
    replace(more, offset < page.whole + page.partial
      ? h('button', { type: 'button', id: 'retention-more', onclick: () => load().catch((err) => app.handleError(err, root)) }, t('retention.more'))
      : null);
  };
  const open = (action) => replace(actions, erasureForm(app, {
    action,
    needsBasis: false,
    describe: async () => {
      const s = await api.retentionSweep(0, 0);
      const lines = [t('erase.will.subjects', { n: s.whole })];
      if (s.partial) lines.push(t('retention.will.part', { n: s.partial }));
      return { lines, warnings: [t('erase.warn.backups')] };
    },
    run: (keep, _basis, lang) => withProgress(t('job.retention'), () => api.retentionCarryOut(action, keep, lang)),
    onDone: () => app.go('retention'),
  }));
  replace(root, h('h1', {}, t('retention.title')), h('p', { class: 'muted' }, t('retention.hint')), summary, noBasis, actions, list, more);
  load().catch((err) => app.handleError(err, root));
  return root;
}
