import { h } from '../dom.js';
import { LANGUAGES, language, t } from '../i18n.js';

/** The language switch, shown on every screen. */
export function languageSelect(onChange) {
  const select = h('select', { id: 'language-select', 'aria-label': t('lang.label') },
    LANGUAGES.map((l) => h('option', { value: l.code, selected: l.code === language() }, l.name)));
  select.addEventListener('change', () => onChange(select.value));
  return h('label', { class: 'lang' }, h('span', { class: 'lang-label' }, t('lang.label')), select);
}

/** A labelled password field. */
export function secretField(id, label, extra = {}) {
  const input = h('input', { id, type: 'password', autocomplete: 'off', spellcheck: 'false', ...extra });
  return { input, row: h('label', { class: 'field', for: id }, h('span', {}, label), input) };
}

/** A region for an error or a notice; `show(text)` fills it, `show('')` hides it. */
export function messageBox(id, kind = 'error') {
  const el = h('p', { id, class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status', hidden: true });
  return {
    el,
    show(text) {
      el.textContent = text || '';
      el.hidden = !text;
    },
  };
}

export function brand() {
  return h('div', { class: 'brand' },
    h('img', { src: './img/icon.svg', alt: '', class: 'brand-icon' }),
    h('div', {}, h('div', { class: 'brand-name' }, t('app.name')),
      h('div', { class: 'brand-tagline' }, t('app.tagline'))));
}
