// Settings: language, auto-lock, passphrase, the working-day calendar, the catalogues.
import { wordingView } from '../sections/wording.js';
import { h, replace } from '../dom.js';
import { t, errorText, LANGUAGES, language } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate } from '../format.js';
import { messageBox, secretField } from '../widgets/common.js';
import { catalogsView } from '../sections/catalogs.js';
import { calendarView, rulesView } from '../sections/calendar.js';
import { letterheadView } from '../sections/letterhead.js';

const IDLE_CHOICES = [1, 5, 10, 15, 30, 60];

export function settingsView(state, app) {
  const saved = messageBox('settings-saved', 'notice');
  const lang = h('select', { id: 'settings-language' },
    LANGUAGES.map((l) => h('option', { value: l.code, selected: l.code === language() }, l.name)));
  lang.addEventListener('change', () => app.changeLanguage(lang.value));

  const choices = IDLE_CHOICES.includes(state.idleMinutes) ? IDLE_CHOICES : [...IDLE_CHOICES, state.idleMinutes].sort((a, b) => a - b);
  const idle = h('select', { id: 'settings-idle' },
    choices.map((m) => h('option', { value: m, selected: m === state.idleMinutes }, t('settings.idle.minutes', { n: m }))));
  idle.addEventListener('change', async () => {
    try {
      Object.assign(state, await api.setIdleMinutes(Number(idle.value)));
      app.state = state;
      saved.show(t('settings.saved'));
    } catch (err) { saved.show(errorText(err)); }
  });

  const cur = secretField('pw-current', t('settings.passphrase.current'));
  const next = secretField('pw-new', t('settings.passphrase.new'));
  const conf = secretField('pw-confirm', t('settings.passphrase.confirm'));
  const pwError = messageBox('pw-error');
  const pwDone = messageBox('pw-done', 'notice');
  const form = h('form', { class: 'card', id: 'passphrase-form' },
    h('h2', {}, t('settings.passphrase.title')),
    cur.row, next.row,
    h('p', { class: 'hint' }, t('welcome.create.min', { n: state.minPassphraseLen })),
    conf.row, pwError.el, pwDone.el,
    h('button', { type: 'submit', class: 'primary' }, t('settings.passphrase.submit')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    pwError.show(''); pwDone.show('');
    try {
      await api.changePassphrase(cur.input.value, next.input.value, conf.input.value);
      for (const f of [cur, next, conf]) f.input.value = '';
      pwDone.show(t('settings.passphrase.done'));
    } catch (err) {
      if (err.code === 'vault.locked') app.handleError(err);
      else pwError.show(errorText(err));
    }
  });

  // The live check (issue 16): every page, the structure, the journal and its anchor.
  const checkOut = h('div', { id: 'check-result', 'aria-live': 'polite' });
  const checkButton = h('button', { type: 'button', id: 'check-run' }, t('settings.check.run'));
  checkButton.addEventListener('click', async () => {
    checkButton.disabled = true;
    replace(checkOut, h('p', { class: 'muted' }, t('settings.check.running')));
    try {
      replace(checkOut, checkResultView(await api.vaultCheck(false)));
    } catch (err) {
      if (err.code === 'vault.locked') app.handleError(err);
      else replace(checkOut, h('p', { class: 'message error' }, errorText(err)));
    } finally { checkButton.disabled = false; }
  });
  const check = h('div', { class: 'card', id: 'check-card' },
    h('h2', {}, t('settings.check.title')),
    h('p', { class: 'hint' }, t('settings.check.lead')),
    checkButton, checkOut);

  return h('section', { class: 'area', id: 'area-settings' },
    h('h1', {}, t('settings.title')),
    h('div', { class: 'card' },
      h('label', { class: 'field' }, h('span', {}, t('settings.language')), lang),
      h('label', { class: 'field' }, h('span', {}, t('settings.idle')), idle),
      saved.el),
    form,
    check,
    letterheadView(app),
    wordingView(),
    calendarView(app),
    rulesView(app),
    catalogsView(app));
}

/** The result of a live check: `good`, or one line per problem, from the catalogue. */
export function checkResultView(r) {
  if (r.good) {
    return h('p', { class: 'message notice', id: 'check-good' },
      t('settings.check.good', { pages: r.pages, n: r.journalEntries, ms: r.millis }));
  }
  return h('div', { class: 'message error', id: 'check-bad', role: 'alert' },
    h('p', {}, t('settings.check.bad')),
    h('ul', {}, r.problems.map((p) => h('li', { 'data-code': p.code },
      p.found ? [t('check.found', { date: fmtDate(p.found) }), ' '] : null,
      t(`check.${p.code.replace('.', '_')}`, { n: p.n, pages: p.pages, messages: p.messages, seq: p.seq,
        from: p.from, to: p.to, date: fmtDate(p.date) })))));
}
