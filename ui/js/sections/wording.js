// The wording of each document kind per language (issue 19): edited with variables, previewed
// with sample values, saved as a new version, reset to the built-in text; the history of versions.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { vocab } from '../vocab.js';
import { messageBox } from '../widgets/common.js';

const EDITABLE = (k) => !k.startsWith('act-') && k !== 'period-report';
const paras = (s) => s.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);

export function wordingView() {
  const kind = h('select', { id: 'wording-kind' }, vocab.letterKinds.filter(EDITABLE).map((k) => h('option', { value: k }, t(`doc.${k}`))));
  const lang = h('select', { id: 'wording-lang' }, [['ru', 'Русский'], ['kk', 'Қазақша'], ['en', 'English']].map(([v, n]) => h('option', { value: v }, n)));
  const title = h('input', { id: 'wording-title' });
  const intro = h('textarea', { id: 'wording-intro', rows: '6' });
  const outro = h('textarea', { id: 'wording-outro', rows: '3' });
  const state = h('p', { class: 'muted', id: 'wording-state' });
  const vars = h('p', { class: 'hint', id: 'wording-vars' });
  const history = h('ul', { class: 'muted small', id: 'wording-history' });
  const preview = h('div', { class: 'wording-preview', id: 'wording-preview' });
  const box = messageBox('wording-message', 'notice');

  async function load() {
    box.show('');
    replace(preview);
    try {
      const w = await api.templateGet(kind.value, lang.value);
      title.value = w.current.title;
      intro.value = w.current.intro.join('\n\n');
      outro.value = w.current.outro.join('\n\n');
      state.textContent = w.current.version ? t('wording.version', { n: w.current.version }) : t('wording.builtin');
      vars.textContent = t('wording.variables', { list: w.variables.map((v) => `{${v}}`).join(' ') });
      replace(history, w.history.map((v) => h('li', {}, `v${v.version} · ${v.createdAt.slice(0, 16).replace('T', ' ')}`,
        v.reset ? ` · ${t('wording.reset_mark')}` : '')));
    } catch (err) { box.show(errorText(err)); }
  }
  kind.addEventListener('change', load);
  lang.addEventListener('change', load);
  const current = () => [kind.value, lang.value, title.value, paras(intro.value), paras(outro.value)];
  const buttons = h('div', { class: 'toolbar' },
    h('button', { type: 'button', id: 'wording-preview-go', onclick: async () => {
      try {
        const p = await api.templatePreview(...current());
        replace(preview, h('h3', {}, p.title), p.intro.map((x) => h('p', {}, x)), p.outro.map((x) => h('p', { class: 'muted' }, x)));
      } catch (err) { box.show(errorText(err)); }
    } }, t('wording.preview')),
    h('button', { type: 'button', class: 'primary', id: 'wording-save', onclick: async () => {
      try {
        const n = await api.templateSave(...current());
        await load();
        box.show(t('wording.saved', { n }));
      } catch (err) { box.show(errorText(err)); }
    } }, t('wording.save')),
    h('button', { type: 'button', id: 'wording-reset', onclick: async () => {
      try {
        await api.templateReset(kind.value, lang.value);
        await load();
        box.show(t('wording.was_reset'));
      } catch (err) { box.show(errorText(err)); }
    } }, t('wording.reset')));
  load();
  const field = (label, el) => h('label', { class: 'field', for: el.id }, h('span', {}, t(label)), el);
  return h('div', { class: 'card', id: 'wording-card' },
    h('h2', {}, t('wording.title')),
    h('p', { class: 'hint' }, t('wording.lead')),
    h('div', { class: 'form-grid' }, field('wording.kind', kind), field('wording.lang', lang)),
    state, field('wording.heading', title), field('wording.intro', intro), field('wording.outro', outro), vars,
    buttons, box.el, preview, h('h3', {}, t('wording.history')), history);
}
