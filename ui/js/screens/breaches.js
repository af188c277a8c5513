// The breaches register, whose notice to the authorized body is due like a request (Law 44-VIII).
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate, itemName, byId, todayText } from '../format.js';
import { field, categoryChecks, issuesText } from '../widgets/form.js';
import { messageBox } from '../widgets/common.js';
import { standingChip } from '../widgets/standing.js';
import { letterEditor, letterActions } from '../sections/letter-editor.js';

function breachForm(cats, onSaved) {
  const box = messageBox('breach-error');
  const found = h('input', { value: todayText() });
  const at = h('input', { placeholder: 'ЧЧ:ММ', size: '6' });
  const what = h('textarea', { rows: '3', maxlength: '5000' });
  const n = h('input', { type: 'number', min: '0', value: '0' });
  const measures = h('textarea', { rows: '2', maxlength: '5000' });
  const checks = categoryChecks('breach', cats);
  const form = h('form', { class: 'card', id: 'breach-form' },
    h('h2', {}, t('breach.new')),
    field('breach-found', t('breach.found_on'), found), field('breach-at', t('breach.found_at'), at),
    field('breach-what', t('breach.description'), what), checks.el,
    field('breach-count', t('breach.subjects'), n), field('breach-measures', t('breach.measures'), measures),
    box.el, h('button', { type: 'submit', class: 'primary', id: 'breach-save' }, t('breach.register')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.show('');
    try {
      await api.breachRegister({ foundOn: found.value, foundAt: at.value, description: what.value, categoryIds: checks.value(), subjectsAffected: Number(n.value || 0), measures: measures.value });
      onSaved();
    } catch (err) { box.show(issuesText(err)); }
  });
  return form;
}

/** The breaches register: the notices due first, each with its deadline, notice letter and steps. */
export function breachesView(app, cats) {
  const root = h('section', { class: 'area', id: 'area-breaches' });
  const list = h('div', { id: 'breach-list' });
  const holder = h('div');
  const box = messageBox('breach-message', 'notice');
  const load = () => api.breachList().then((rows) => replace(list, rows.length ? rows.map((b) => {
    const cat = b.categories.map((code) => itemName(cats.categories.find((x) => x.code === code)) || code).join(', ');
    const steps = h('div', { class: 'toolbar' });
    if (!b.notifiedOn) {
      steps.appendChild(h('button', { type: 'button', class: 'primary', 'data-notice': b.id, onclick: () => replace(holder,
        letterEditor(app, { kind: 'breach-notice', breach: b.id }, { cancel: () => { replace(holder); load(); } })) }, t('breach.prepare_notice')));
      const on = h('input', { value: todayText(), size: '10', 'aria-label': t('breach.notified_on') });
      const ref = h('input', { placeholder: t('breach.notice_ref'), 'aria-label': t('breach.notice_ref') });
      steps.appendChild(h('span', { class: 'inline-form' }, on, ref, h('button', { type: 'button', 'data-notified': b.id, onclick: async () => {
        try { await api.breachNotified(b.id, on.value, ref.value); load(); } catch (err) { box.show(issuesText(err)); }
      } }, t('breach.mark_notified'))));
    } else if (!b.closedOn) {
      steps.appendChild(h('button', { type: 'button', 'data-close': b.id, onclick: async () => {
        try { await api.breachClose(b.id); load(); } catch (err) { box.show(errorText(err)); }
      } }, t('breach.close')));
    }
    if (b.letterId) steps.appendChild(letterActions(app, { id: b.letterId, kind: 'breach-notice' }, box));
    return h('article', { class: 'card breach', 'data-breach': b.id },
      h('div', { class: 'card-head' }, h('strong', {}, t('breach.number', { id: b.id })), ' ',
        b.notifiedOn ? h('span', { class: 'chip state-active' }, t('breach.notified', { date: fmtDate(b.notifiedOn) })) : standingChip(b.standing),
        b.closedOn ? h('span', { class: 'chip' }, t('breach.closed')) : null),
      h('dl', { class: 'facts' },
        h('dt', {}, t('breach.found_on')), h('dd', {}, `${fmtDate(b.foundOn)} ${b.foundAt}`),
        h('dt', {}, t('breach.due_on')), h('dd', {}, fmtDate(b.dueOn)),
        h('dt', {}, t('breach.description')), h('dd', {}, b.description),
        h('dt', {}, t('transfer.categories')), h('dd', {}, cat || '—'),
        h('dt', {}, t('breach.subjects')), h('dd', {}, String(b.subjectsAffected)),
        h('dt', {}, t('breach.measures')), h('dd', {}, b.measures || '—'),
        b.noticeRef ? [h('dt', {}, t('breach.notice_ref')), h('dd', {}, b.noticeRef)] : null),
      steps);
  }) : h('p', { class: 'muted', id: 'breach-none' }, t('breach.none')))).catch((err) => app.handleError(err, list));
  replace(root, h('h1', {}, t('breach.title')), h('p', { class: 'muted' }, t('breach.hint')),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', id: 'breach-new', onclick: () => replace(holder, breachForm(cats, () => { replace(holder); load(); })) }, t('breach.new'))),
    box.el, holder, list);
  load();
  return root;
}
