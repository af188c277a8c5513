// The unlock screen for an existing vault.
import { h } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { helpButton } from '../sections/help.js';
import { brand, languageSelect, messageBox, secretField } from '../widgets/common.js';

export function unlockView(state, app, notice = '') {
  const pass = secretField('unlock-passphrase', t('unlock.passphrase'), { autofocus: true });
  const error = messageBox('unlock-error');
  const info = messageBox('unlock-notice', 'notice');
  const submit = h('button', { id: 'unlock-submit', class: 'primary', type: 'submit' }, t('unlock.submit'));
  if (state.vaultInUse) error.show(t('unlock.in_use'));
  else if (notice) info.show(notice);

  const form = h('form', { class: 'card narrow', id: 'unlock-form' },
    h('h1', {}, t('unlock.title')),
    h('p', { class: 'muted' }, t('unlock.file')),
    h('p', { class: 'path', id: 'vault-path' }, state.vaultPath),
    state.demoTarget ? h('p', { class: 'hint', id: 'demo-hint' }, t('unlock.demo_hint', { pass: state.demoPassphrase })) : null,
    info.el,
    pass.row,
    error.el,
    submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.show('');
    info.show('');
    submit.disabled = true;
    submit.textContent = t('unlock.working');
    try {
      const next = await api.unlock(pass.input.value);
      pass.input.value = '';
      app.enter(next);
    } catch (err) {
      error.show(errorText(err));
      pass.input.select();
    } finally {
      submit.disabled = false;
      submit.textContent = t('unlock.submit');
    }
  });

  return h('main', { class: 'gate' },
    h('header', { class: 'gate-head' }, brand(), h('div', { class: 'topbar-actions' }, languageSelect((code) => app.changeLanguage(code)), helpButton(() => 'unlock'))),
    form,
    h('p', { class: 'center links' },
      state.demoTarget
        ? h('button', {
          id: 'own-vault', type: 'button', class: 'link',
          onclick: async () => { app.state = await api.selectDefaultVault(); app.render(); },
        }, t('unlock.own_vault'))
        : h('button', {
          id: 'open-demo', type: 'button', class: 'link',
          onclick: async () => { try { app.enter(await api.openDemo()); } catch (err) { error.show(errorText(err)); } },
        }, t('welcome.demo.submit')),
      h('button', { id: 'open-other', type: 'button', class: 'link', onclick: () => app.chooseFile(error) },
        t('welcome.other'))));
}
