// First run, after the vault was created (step 1, on the welcome screen): the operator's profile
// for the letterhead, the language, the backup folder and a first backup. Every step can be left
// for later; "Skip" and "Finish" both lead to the dashboard and the wizard is not shown again.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { withProgress } from '../widgets/progress.js';
import { helpButton } from '../sections/help.js';
import { brand, languageSelect, messageBox } from '../widgets/common.js';
import { issueText } from '../sections/letterhead.js';
import { SETUP_STEPS, stepHeader } from '../widgets/steps.js';

// The letterhead fields asked on the first day; the rest stay in Settings → Letterhead.
const PROFILE_FIELDS = [
  ['operator', 'input', true], ['bin', 'input', true], ['address', 'textarea', true],
  ['responsible', 'input', true], ['phones', 'input', false], ['email', 'input', false],
  ['signerName', 'input', false], ['signerPosition', 'input', false], ['city', 'input', false],
];

export function setupView(app) {
  const card = h('section', { class: 'card wizard', id: 'setup', 'aria-live': 'polite' });
  const root = h('main', { class: 'gate' },
    h('header', { class: 'gate-head' }, brand(), h('div', { class: 'topbar-actions' }, languageSelect((code) => app.changeLanguage(code)), helpButton(() => 'setup'))),
    h('h1', {}, t('setup.title')),
    h('p', { class: 'lead' }, t('setup.lead')),
    card);

  const finish = async (box) => {
    try { app.enter(await api.setupFinish()); } catch (err) { (box ? box.show(errorText(err)) : app.handleError(err, card)); }
  };
  const nav = (box, { back, next, nextLabel, nextId }) => h('div', { class: 'wizard-nav' },
    back ? h('button', { type: 'button', id: 'setup-back', onclick: back }, t('setup.back')) : null,
    h('button', { type: 'button', class: 'link', id: 'setup-skip', onclick: () => finish(box) }, t('setup.skip')),
    h('button', { type: next ? 'submit' : 'button', class: 'primary', id: nextId || 'setup-next' }, nextLabel || t('setup.next')));
  const show = (...children) => {
    replace(card, ...children);
    card.querySelector('.step-title')?.focus();
  };

  async function profile() {
    app.setupStep = 'profile';
    const head = await api.letterheadGet();
    const box = messageBox('setup-profile-error');
    const inputs = {};
    const rows = PROFILE_FIELDS.map(([name, tag, required]) => {
      const id = `setup-${name}`;
      const input = h(tag, { id, rows: tag === 'textarea' ? '2' : false, autocomplete: 'off', required, 'aria-required': required ? 'true' : false });
      input.value = head[name] ?? '';
      inputs[name] = input;
      return h('label', { class: 'field', for: id }, h('span', {}, t(`lh.${name}`), required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null), input);
    });
    // The catalogues to start with: a clinic's, a school's, a shop's purposes and periods, each
    // marked "check before use" until saved in Settings.
    const kit = h('select', { id: 'setup-kit' }, ['generic', 'clinic', 'school', 'shop'].map((k) =>
      h('option', { value: k }, t(`starter.${k}`))));
    const form = h('form', { id: 'setup-profile', novalidate: true },
      ...stepHeader(2, t('setup.profile.title')),
      h('p', { class: 'hint' }, t('setup.profile.about')),
      h('div', { class: 'form-grid' }, rows,
        h('label', { class: 'field', for: 'setup-kit' }, h('span', {}, t('starter.label')), kit,
          h('span', { class: 'hint' }, t('starter.hint')))),
      h('p', { class: 'hint' }, t('setup.profile.later')),
      box.el,
      nav(box, { next: true }));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      box.show('');
      const next = { ...head };
      for (const [name] of PROFILE_FIELDS) next[name] = inputs[name].value;
      try {
        await api.letterheadSet(next);
        if (kit.value !== 'generic') await api.starterApply(kit.value);
        language();
      } catch (err) {
        box.show(issueText(err));
        const bad = err?.issues?.[0]?.field;
        if (bad && inputs[bad]) inputs[bad].focus();
      }
    });
    show(form);
  }

  function language() {
    app.setupStep = 'language';
    const box = messageBox('setup-language-error');
    const form = h('form', { id: 'setup-language' },
      ...stepHeader(3, t('setup.language.title')),
      h('p', { class: 'hint' }, t('setup.language.about')),
      h('div', { class: 'toolbar' }, languageSelect((code) => app.changeLanguage(code))),
      box.el,
      nav(box, { back: profile, next: true }));
    form.addEventListener('submit', (e) => { e.preventDefault(); backups(); });
    show(form);
  }

  async function backups() {
    app.setupStep = 'backups';
    const o = await api.backupOverview();
    const box = messageBox('setup-backup-message', 'notice');
    const dir = h('input', { id: 'setup-backup-dir', value: o.autoDir ?? '', readonly: true, placeholder: t('backup.auto.none') });
    const pick = h('button', { type: 'button', id: 'setup-backup-pick', onclick: async () => {
      box.show('');
      try {
        const d = await api.backupPickFolder(t('backup.pick_folder'));
        if (!d) return;
        await api.backupAutoSet({ folder: 'picked', keepDaily: o.keepDaily, keepWeekly: o.keepWeekly, keepMonthly: o.keepMonthly, remindDays: o.remindDays });
        dir.value = d;
        box.show(t('setup.backup.folder_set'));
      } catch (err) { box.show(issueText(err)); }
    } }, t('backup.auto.pick'));
    const first = h('button', { type: 'button', id: 'setup-backup-now', onclick: async () => {
      box.show('');
      first.disabled = true;
      try {
        const made = await withProgress(t('backup.export.title'), () => api.backupExport(t('backup.pick_folder'), null, null));
        if (made) box.show(t('backup.made', { file: made.file, kb: Math.max(1, Math.round(made.bytes / 1024)) }));
      } catch (err) { box.show(issueText(err)); } finally { first.disabled = false; }
    } }, t('setup.backup.now'));
    const form = h('form', { id: 'setup-backups' },
      ...stepHeader(4, t('setup.backup.title')),
      h('p', { class: 'hint' }, t('setup.backup.about')),
      h('label', { class: 'field', for: 'setup-backup-dir' }, h('span', {}, t('setup.backup.folder')),
        h('div', { class: 'toolbar' }, dir, pick)),
      h('p', { class: 'warning' }, t('setup.backup.why')),
      h('div', { class: 'toolbar' }, first),
      box.el,
      nav(box, { back: language, next: true, nextLabel: t('setup.finish'), nextId: 'setup-finish' }));
    form.addEventListener('submit', (e) => { e.preventDefault(); finish(box); });
    show(form);
  }

  const steps = { profile, language, backups };
  // A language change renders the page again: the wizard stays on its step.
  Promise.resolve((steps[app.setupStep] || profile)()).catch((err) => app.handleError(err, card));
  return root;
}
