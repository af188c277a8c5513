// The transfers register (Law 94-V Art. 16; policy 8.2, 10) — on a person's card and as a whole,
// with the editable list of states protecting personal data — and the breaches register, whose
// notice to the authorized body is due like a request (Law 44-VIII).
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import { vocab } from '../vocab.js';
import * as api from '../api.js';
import { fmtDate, itemName, byId } from '../format.js';
import { messageBox } from './common.js';
import { standingChip } from './requests.js';
import { letterEditor, letterActions } from './letter-editor.js';

function todayText() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getDate())}.${p(d.getMonth() + 1)}.${d.getFullYear()}`;
}

function field(id, label, input) {
  input.id = id;
  return h('label', { class: 'field', for: id }, h('span', {}, label), input);
}

function categoryChecks(prefix, cats) {
  const boxes = cats.categories.map((c) => h('input', { type: 'checkbox', value: String(c.id), id: `${prefix}-cat-${c.id}` }));
  const el = h('fieldset', { class: 'keep', id: `${prefix}-categories` }, h('legend', {}, t('transfer.categories')),
    cats.categories.map((c, i) => h('label', { class: 'check', for: boxes[i].id }, boxes[i], ` ${itemName(c)}`)));
  return { el, value: () => boxes.filter((b) => b.checked).map((b) => Number(b.value)) };
}

/** Shows an `invalid` error's issues, or the error. */
function issuesText(err) {
  if (err.code === 'invalid') return (err.issues || []).map((i) => `${t(`field.${i.field}`) !== `field.${i.field}` ? t(`field.${i.field}`) : i.field}: ${t(`issue.${i.code}`)}`).join(' ');
  return errorText(err);
}

/** The card's transfers: what went to whom, and recording a new one (checked against the basis). */
export function transfersSection(app, cats, c, editable) {
  const list = h('div', { id: 'transfer-list' });
  const load = () => api.transferList(c.id).then((rows) => replace(list, rows.length
    ? h('ul', { class: 'transfers' }, rows.map((x) => h('li', { 'data-transfer': x.id },
      h('div', {}, h('strong', {}, x.recipient), ` · ${x.country}`, x.crossBorder ? ` (${t('transfer.abroad')})` : ''),
      h('div', { class: 'muted small' }, fmtDate(x.transferredOn), ' · ', t(`transfer.basis.${x.basis}`),
        x.basisRef ? ` · ${x.basisRef}` : '', x.consentId ? ` · ${t('transfer.consent_no', { id: x.consentId })}` : ''),
      x.overrideReason ? h('p', { class: 'message notice small' }, `${t('transfer.overridden')}: `, x.overrideReason) : null)))
    : h('p', { class: 'muted' }, t('transfer.none')))).catch((err) => app.handleError(err, list));
  load();
  let form = null;
  if (editable) {
    const box = messageBox('transfer-error');
    const recipient = h('input', { maxlength: '300' });
    const country = h('input', { value: 'KZ', maxlength: '2', size: '3', class: 'mono', autocapitalize: 'characters' });
    const purpose = h('select', {}, cats.purposes.map((p) => h('option', { value: String(p.id) }, itemName(p))));
    const basis = h('select', {}, vocab.transferBases.map((b) => h('option', { value: b }, t(`transfer.basis.${b}`))));
    const ref = h('input', { maxlength: '300', placeholder: t('transfer.basis_ref.hint') });
    const on = h('input', { value: todayText() });
    const checks = categoryChecks('transfer', cats);
    const overrideBox = h('div', { id: 'transfer-override', hidden: true });
    const args = (overrideReason) => ({
      subjectId: c.id, recipient: recipient.value, country: country.value, categoryIds: checks.value(),
      purposeId: Number(purpose.value), basis: basis.value, basisRef: ref.value, transferredOn: on.value,
      overrideReason: overrideReason ?? null,
    });
    const save = async (overrideReason) => {
      box.show('');
      try {
        await api.transferRecord(args(overrideReason));
        overrideBox.hidden = true;
        recipient.value = '';
        ref.value = '';
        load();
      } catch (err) {
        if (err.code === 'transfer.refused') {
          // Refused with the reason; recording it anyway needs a written justification.
          const reason = (err.issues || [])[0];
          const why = h('textarea', { id: 'transfer-override-text', rows: '3', maxlength: '2000' });
          overrideBox.hidden = false;
          replace(overrideBox,
            h('p', { class: 'message error', role: 'alert', id: 'transfer-refused' }, t('transfer.refused', { reason: reason ? t(`issue.${reason.code}`) : '' })),
            field('transfer-override-text', t('transfer.override'), why),
            h('button', { type: 'button', class: 'danger', id: 'transfer-override-save', onclick: () => {
              if (!why.value.trim()) { box.show(t('transfer.override_required')); return; }
              save(why.value);
            } }, t('transfer.override_save')));
        } else {
          box.show(issuesText(err));
        }
      }
    };
    form = h('form', { class: 'inline-form', id: 'transfer-form' },
      field('transfer-recipient', t('transfer.recipient'), recipient),
      field('transfer-country', t('transfer.country_code'), country),
      field('transfer-purpose', t('transfer.purpose'), purpose),
      field('transfer-basis', t('transfer.basis'), basis),
      field('transfer-ref', t('transfer.basis_ref'), ref),
      field('transfer-date', t('transfer.date'), on),
      checks.el, box.el,
      h('button', { type: 'submit', id: 'transfer-save' }, t('transfer.record')),
      overrideBox);
    form.addEventListener('submit', (e) => { e.preventDefault(); save(null); });
  }
  return h('section', { class: 'card-section', id: 'card-transfers' }, h('h3', {}, t('transfer.title')), list, form);
}

/** The whole register: export for an inspection, and the list of states protecting personal data. */
export function transfersView(app) {
  const box = messageBox('transfers-message', 'notice');
  const countries = h('div', { id: 'adequate-list' });
  const load = () => api.adequateCountries().then((list) => replace(countries, list.length
    ? h('table', { class: 'grid narrow' }, h('tbody', {}, list.map((c) => h('tr', { 'data-code': c.code },
      h('td', { class: 'mono' }, c.code), h('td', {}, c.name), h('td', { class: 'muted' }, c.note),
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: async () => {
        try { await api.adequateCountryRemove(c.code); load(); } catch (err) { box.show(errorText(err)); }
      } }, t('transfer.country_remove')))))))
    : h('p', { class: 'muted', id: 'adequate-empty' }, t('transfer.countries_empty')))).catch((err) => app.handleError(err, countries));
  load();
  const code = h('input', { maxlength: '2', size: '3', class: 'mono' });
  const name = h('input', { maxlength: '200' });
  const note = h('input', { maxlength: '500', placeholder: t('transfer.country_note.hint') });
  const add = h('form', { class: 'inline-form', id: 'adequate-form' },
    field('adequate-code', t('transfer.country_code'), code), field('adequate-name', t('transfer.country_name'), name),
    field('adequate-note', t('transfer.country_note'), note),
    h('button', { type: 'submit' }, t('transfer.country_add')));
  add.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.show('');
    try { await api.adequateCountryAdd({ code: code.value, name: name.value, note: note.value }); code.value = ''; name.value = ''; note.value = ''; load(); } catch (err) { box.show(issuesText(err)); }
  });
  return h('section', { class: 'area', id: 'area-transfers' },
    h('h1', {}, t('transfer.register')),
    h('p', { class: 'muted' }, t('transfer.register.hint')),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', id: 'transfers-export', onclick: async () => {
      try {
        const n = await api.transfersExport(t('dialog.transfers'));
        if (n !== null && n !== undefined) box.show(t('transfer.exported', { n }));
      } catch (err) { box.show(errorText(err)); }
    } }, t('transfer.export'))),
    box.el,
    h('h2', {}, t('transfer.countries')),
    h('p', { class: 'muted' }, t('transfer.countries.hint')),
    countries, add);
}

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
    if (b.letterId) steps.appendChild(letterActions(app, { id: b.letterId }, box));
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
