// Built-in help: what the current screen is for and which clause of Law No. 94-V or of the
// operator's policy it serves, with the keyboard shortcuts. A modal <dialog>: Esc closes it and
// focus returns to where it was.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';

const TOPICS = ['dashboard', 'subjects', 'requests', 'letters', 'retention', 'transfers', 'breaches',
  'journal', 'backups', 'settings', 'welcome', 'unlock', 'setup'];

export function openHelp(topic) {
  const key = TOPICS.includes(topic) ? topic : 'dashboard';
  document.getElementById('help-dialog')?.remove();
  const back = document.activeElement;
  const version = h('p', { class: 'muted small', id: 'help-version' });
  api.appState().then((st) => { version.textContent = t('help.version', { version: st.version }); }).catch(() => {});
  const close = h('button', { type: 'button', id: 'help-close', class: 'primary', onclick: () => dialog.close() }, t('help.close'));
  const dialog = h('dialog', { id: 'help-dialog', class: 'help', 'aria-labelledby': 'help-title' },
    h('h2', { id: 'help-title' }, t(`help.${key}.title`)),
    h('p', { id: 'help-text' }, t(`help.${key}.text`)),
    h('h3', {}, t('help.basis')),
    h('p', { id: 'help-basis' }, t(`help.${key}.basis`)),
    h('h3', {}, t('help.keys')),
    h('p', { class: 'small' }, t('help.keys.list')),
    version,
    h('div', { class: 'wizard-nav' }, close));
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (back && back.isConnected) back.focus();
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  close.focus();
}

/** The "?" button: opens the help of `topic()` (read when pressed). */
export function helpButton(topic) {
  return h('button', {
    type: 'button', id: 'help-button', class: 'help-button', title: t('help.open'), 'aria-label': t('help.open'),
    'aria-keyshortcuts': 'F1', onclick: () => openHelp(topic()),
  }, '?');
}
