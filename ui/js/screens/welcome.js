// First run: create a new vault, or explore the demo vault.
import { h } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { helpButton } from '../sections/help.js';
import { brand, languageSelect, messageBox, secretField } from '../widgets/common.js';
import { SETUP_STEPS } from '../widgets/steps.js';

export function welcomeView(state, app) {
  const pass = secretField('create-passphrase', t('welcome.create.passphrase'), { autofocus: true });
  const confirm = secretField('create-confirm', t('welcome.create.confirm'));
  const meter = h('div', { id: 'strength', class: 'strength', 'aria-live': 'polite' });
  const error = messageBox('create-error');
  const submit = h('button', { id: 'create-submit', class: 'primary', type: 'submit' }, t('welcome.create.submit'));

  pass.input.addEventListener('input', async () => {
    const value = pass.input.value;
    if (!value) { meter.textContent = ''; meter.dataset.level = ''; return; }
    const level = await api.passphraseStrength(value);
    meter.dataset.level = level;
    meter.textContent = t(`strength.${level}`);
  });

  const form = h('form', { class: 'card', id: 'create-form' },
    h('p', { class: 'step-count' }, t('setup.step', { n: 1, total: SETUP_STEPS })),
    h('h2', {}, t('welcome.create.title')),
    h('p', { class: 'muted' }, t('welcome.create.where')),
    h('p', { class: 'path' }, state.vaultPath),
    pass.row,
    meter,
    h('p', { class: 'hint' }, t('welcome.create.min', { n: state.minPassphraseLen })),
    confirm.row,
    h('p', { class: 'warning' }, t('welcome.create.warning')),
    error.el,
    submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.show('');
    submit.disabled = true;
    try {
      const next = await api.createVault(pass.input.value, confirm.input.value);
      pass.input.value = ''; confirm.input.value = '';
      app.enter(next);
    } catch (err) {
      error.show(errorText(err));
    } finally {
      submit.disabled = false;
    }
  });

  const demoError = messageBox('demo-error');
  const demo = h('section', { class: 'card' },
    h('h2', {}, t('welcome.demo.title')),
    h('p', {}, t('welcome.demo.text', { pass: state.demoPassphrase })),
    demoError.el,
    h('button', {
      id: 'open-demo', type: 'button',
      onclick: async () => {
        try { app.enter(await api.openDemo()); } catch (err) { demoError.show(errorText(err)); }
      },
    }, t('welcome.demo.submit')));

  // A new computer: the vault comes back from a backup file.
  const restoreError = messageBox('restore-new-error');
  const restorePass = secretField('restore-new-pass', t('backup.passphrase'));
  const restore = h('section', { class: 'card', id: 'restore-new' },
    h('h2', {}, t('welcome.restore.title')),
    h('p', {}, t('welcome.restore.text')),
    h('p', { class: 'hint', id: 'restore-new-erasures' }, t('welcome.restore.erasures')),
    restorePass.row, restoreError.el,
    h('button', { id: 'restore-new-submit', type: 'button', onclick: async () => {
      restoreError.show('');
      try {
        const next = await api.backupRestoreNew(t('backup.pick_file'), restorePass.input.value);
        if (next) { restorePass.input.value = ''; app.enter(next); }
      } catch (err) { restoreError.show(errorText(err)); }
    } }, t('welcome.restore.submit')));

  return h('main', { class: 'gate' },
    h('header', { class: 'gate-head' }, brand(), h('div', { class: 'topbar-actions' }, languageSelect((code) => app.changeLanguage(code)), helpButton(() => 'welcome'))),
    h('h1', {}, t('welcome.title')),
    h('p', { class: 'lead' }, t('welcome.lead')),
    h('div', { class: 'cards' }, form, demo, restore),
    h('p', { class: 'center' },
      h('button', { id: 'open-other', type: 'button', class: 'link', onclick: () => app.chooseFile(demoError) },
        t('welcome.other'))));
}
