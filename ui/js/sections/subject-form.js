// Creating or editing a subject. Every invalid field is marked with its own message.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate, itemName } from '../format.js';
import { messageBox } from '../widgets/common.js';

const FIELDS = [
  ['iin', 'input', { inputmode: 'numeric', maxlength: '12' }],
  ['doc_number', 'input', {}],
  ['surname', 'input', {}],
  ['given_name', 'input', {}],
  ['patronymic', 'input', {}],
  ['birth_date', 'input', { placeholder: 'ДД.ММ.ГГГГ' }],
  ['emails', 'textarea', { rows: '2' }],
  ['phones', 'textarea', { rows: '2' }],
  ['address', 'textarea', { rows: '2' }],
  ['notes', 'textarea', { rows: '3' }],
];

const camel = (s) => s.replace(/_(\w)/g, (_, c) => c.toUpperCase());

/**
 * `card`: the subject being edited, or null for a new one. A new one may come pre-filled
 * (`nav.prefill`, the fields as the core's SubjectInput names them) and be saved another way
 * (`nav.create(subject)` resolving to the new id: registered from a request and attached to it).
 */
export function subjectForm(app, card, nav) {
  const inputs = {};
  const errors = {};
  const source = card || nav.prefill || null;
  const rows = FIELDS.map(([name, tag, extra]) => {
    let value = '';
    if (source) {
      const v = source[camel(name)];
      value = Array.isArray(v) ? v.join('\n') : (name === 'birth_date' ? fmtDate(v) : (v ?? ''));
    }
    const input = h(tag, { id: `subject-${name}`, name, ...extra, value, 'aria-describedby': `err-${name}` });
    if (tag === 'textarea') input.value = value;
    inputs[name] = input;
    errors[name] = h('span', { class: 'field-error', id: `err-${name}`, role: 'alert' });
    const hint = name === 'birth_date' ? h('span', { class: 'hint' }, t('field.birth_date.hint')) : null;
    return h('label', { class: `field f-${name}`, for: `subject-${name}` }, h('span', {}, t(`field.${name}`)), input, hint, errors[name]);
  });
  // Who the person is to the operator; the list comes from the catalogue, the current value is
  // kept until it has loaded (a save before that keeps it too).
  const currentCategory = source?.categoryId ?? null;
  const category = h('select', { id: 'subject-category', name: 'category' }, h('option', { value: '' }, '—'),
    currentCategory ? h('option', { value: String(currentCategory), selected: true }, '…') : null);
  api.catalogs().then((c) => {
    replace(category, h('option', { value: '' }, '—'), c.subjectCategories.map((x) =>
      h('option', { value: String(x.id), selected: x.id === currentCategory }, itemName(x))));
  }).catch(() => {});
  errors.category = h('span', { class: 'field-error', id: 'err-category', role: 'alert' });
  inputs.category = category;
  rows.push(h('label', { class: 'field f-category', for: 'subject-category' }, h('span', {}, t('field.subject_category')), category, errors.category));
  const message = messageBox('subject-form-error');
  const existing = h('p', { hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'subject-save' }, t('form.save'));

  const form = h('form', { class: 'card subject-form', id: 'subject-form', novalidate: true },
    h('h2', {}, card ? `${card.surname} ${card.givenName}` : t('subjects.new')),
    h('div', { class: 'form-grid' }, rows),
    message.el, existing,
    h('div', { class: 'actions' }, submit,
      h('button', { type: 'button', onclick: nav.cancel }, t('form.cancel'))));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const el of Object.values(errors)) el.textContent = '';
    for (const el of Object.values(inputs)) el.removeAttribute('aria-invalid');
    message.show('');
    existing.hidden = true;
    const lines = (s) => s.split('\n').map((x) => x.trim()).filter(Boolean);
    const subject = {
      iin: inputs.iin.value, docNumber: inputs.doc_number.value, surname: inputs.surname.value,
      givenName: inputs.given_name.value, patronymic: inputs.patronymic.value,
      birthDate: inputs.birth_date.value, emails: lines(inputs.emails.value), phones: lines(inputs.phones.value),
      address: inputs.address.value, notes: inputs.notes.value,
      categoryId: category.value ? Number(category.value) : null,
    };
    submit.disabled = true;
    try {
      if (card) {
        await api.updateSubject(card.id, subject, nav.requestId ?? null);
        nav.saved(card.id);
      } else {
        nav.saved(await (nav.create ? nav.create(subject) : api.createSubject(subject)));
      }
    } catch (err) {
      if (err.code === 'invalid') {
        for (const issue of err.issues || []) {
          if (!errors[issue.field]) continue;
          errors[issue.field].textContent = t(`issue.${issue.code}`);
          inputs[issue.field].setAttribute('aria-invalid', 'true');
        }
        message.show(t('form.has_errors'));
        const first = (err.issues || []).find((i) => inputs[i.field]);
        if (first) inputs[first.field].focus();
      } else if (err.code === 'subject.duplicate_iin') {
        message.show(t('form.duplicate'));
        replaceLink(existing, err.existingId, nav);
      } else {
        app.handleError(err, message.el);
        message.el.hidden = false;
      }
    } finally {
      submit.disabled = false;
    }
  });
  setTimeout(() => inputs[card ? 'surname' : 'iin'].focus(), 0);
  return form;
}

function replaceLink(el, id, nav) {
  el.hidden = false;
  el.textContent = '';
  el.appendChild(h('button', { type: 'button', class: 'link', id: 'open-existing', onclick: () => nav.open(id) }, t('form.open_existing')));
}
