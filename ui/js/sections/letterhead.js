// Settings → the letterhead printed on every letter and act, the signer, the authorized body's
// name, the logo and the outgoing-number scheme.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { messageBox } from '../widgets/common.js';

const TEXT_FIELDS = [
  ['operator', 'input'], ['bin', 'input'], ['address', 'textarea'], ['phones', 'input'], ['email', 'input'],
  ['responsible', 'input'], ['signerName', 'input'], ['signerPosition', 'input'], ['city', 'input'],
  ['authority', 'textarea'],
];

export function letterheadView(app) {
  const root = h('form', { class: 'card', id: 'letterhead-form' }, h('p', { class: 'muted' }, t('subjects.loading')));
  const load = (flash = '') => api.letterheadGet().then((head) => replace(root, ...render(head, flash))).catch((err) => app.handleError(err, root));

  function render(head, flash) {
    const box = messageBox('letterhead-message', flash ? 'notice' : 'error');
    box.show(flash);
    const inputs = {};
    const rows = TEXT_FIELDS.map(([name, tag]) => {
      const id = `lh-${name}`;
      const input = h(tag, { id, value: head[name] ?? '', rows: tag === 'textarea' ? '2' : false, autocomplete: 'off' });
      if (tag === 'textarea') input.value = head[name] ?? '';
      inputs[name] = input;
      return h('label', { class: 'field', for: id }, h('span', {}, t(`lh.${name}`)), input);
    });
    const prefix = h('input', { id: 'lh-prefix', value: head.prefix, size: '8' });
    const withYear = h('input', { id: 'lh-with-year', type: 'checkbox', checked: head.withYear });
    const digits = h('select', { id: 'lh-digits' }, [1, 2, 3, 4, 5, 6].map((d) => h('option', { value: d, selected: d === head.digits }, String(d))));
    const sample = h('strong', { id: 'lh-sample' }, head.sample);
    const preview = () => {
      const year = new Date().getFullYear();
      const seq = String(1).padStart(Number(digits.value), '0');
      const body = withYear.checked ? `${year}/${seq}` : seq;
      sample.textContent = prefix.value.trim() ? `${prefix.value.trim()}-${body}` : body;
    };
    for (const el of [prefix, withYear, digits]) el.addEventListener('input', preview);
    withYear.addEventListener('change', preview);

    const logoState = h('span', { id: 'lh-logo-state', class: 'muted' }, head.hasLogo ? t('lh.logo.set') : t('lh.logo.none'));
    const logoPick = h('button', { type: 'button', id: 'lh-logo-pick', onclick: async () => {
      box.show('');
      try {
        if (await api.letterheadLogoPick(t('lh.logo.pick'))) load(t('lh.logo.set'));
      } catch (err) { box.show(issueText(err)); }
    } }, t('lh.logo.pick'));
    const logoRemove = head.hasLogo ? h('button', { type: 'button', id: 'lh-logo-remove', onclick: async () => {
      try { await api.letterheadLogoRemove(); load(); } catch (err) { box.show(errorText(err)); }
    } }, t('lh.logo.remove')) : null;

    root.onsubmit = async (e) => {
      e.preventDefault();
      box.show('');
      const next = { ...head };
      for (const [name] of TEXT_FIELDS) next[name] = inputs[name].value;
      next.prefix = prefix.value;
      next.withYear = withYear.checked;
      next.digits = Number(digits.value);
      try {
        await api.letterheadSet(next);
        await load(t('settings.saved'));
      } catch (err) { box.show(issueText(err)); }
    };
    return [
      h('h2', {}, t('lh.title')),
      h('p', { class: 'hint' }, t('lh.about')),
      h('div', { class: 'form-grid' }, rows),
      h('div', { class: 'field' }, h('span', {}, t('lh.logo')), h('div', { class: 'toolbar' }, logoState, logoPick, logoRemove)),
      h('fieldset', { class: 'numbering' }, h('legend', {}, t('lh.numbering')),
        h('label', { class: 'field inline', for: 'lh-prefix' }, h('span', {}, t('lh.prefix')), prefix),
        h('label', { class: 'check', for: 'lh-with-year' }, withYear, t('lh.with_year')),
        h('label', { class: 'field inline', for: 'lh-digits' }, h('span', {}, t('lh.digits')), digits),
        h('p', { class: 'hint' }, t('lh.sample'), ' ', sample)),
      box.el,
      h('button', { type: 'submit', class: 'primary', id: 'lh-save' }, t('lh.save')),
    ];
  }
  load();
  return root;
}

/** An error with field issues as text. */
export function issueText(err) {
  if (err?.code === 'invalid' && err.issues?.length) {
    return err.issues.map((i) => `${t(`issue.field.${i.field}`) !== `issue.field.${i.field}` ? `${t(`issue.field.${i.field}`)}: ` : ''}${t(`issue.${i.code}`)}`).join(' ');
  }
  return errorText(err);
}
