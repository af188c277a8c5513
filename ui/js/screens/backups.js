// The Backups area: make an encrypted backup into a folder chosen in the native dialog, verify a
// backup file, restore one (after a confirmation; a safety copy of the current vault is kept),
// and automatic backups on closing with their rotation.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { withProgress } from '../widgets/progress.js';
import { fmtDate } from '../format.js';
import { messageBox, secretField } from '../widgets/common.js';
import { issueText } from '../sections/letterhead.js';

const when = (iso) => (iso ? `${fmtDate(iso.slice(0, 10))} ${iso.slice(11, 16)}` : '—');
const kb = (n) => Math.max(1, Math.round(n / 1024));

export function backupsView(app) {
  const body = h('div', { class: 'area-body' }, h('p', { class: 'muted' }, t('subjects.loading')));
  const root = h('section', { class: 'area', id: 'area-backups' }, h('h1', {}, t('nav.backups')), body);
  const load = (flash = '') => api.backupOverview().then((o) => replace(body, ...render(o, flash))).catch((err) => app.handleError(err, body));

  function summaryText(s) {
    return t('backup.summary', { subjects: s.subjects, requests: s.requests, letters: s.letters, date: when(s.createdAt) });
  }

  function render(o, flash) {
    const status = h('div', { class: 'card', id: 'backup-status' },
      h('p', {}, h('span', { class: 'muted' }, `${t('backup.last')}: `), h('strong', { id: 'backup-last' }, when(o.lastBackupAt))),
      h('p', {}, h('span', { class: 'muted' }, `${t('backup.last_outside')}: `), h('strong', {}, when(o.lastOutsideAt))),
      o.reminderDue ? h('p', { class: 'message notice', id: 'backup-reminder' }, t('backup.reminder', { n: o.remindDays })) : null);

    // Export.
    const exportBox = messageBox('backup-export-message', 'notice');
    exportBox.show(flash);
    const other = h('input', { type: 'checkbox', id: 'backup-other' });
    const p1 = secretField('backup-pass', t('backup.passphrase.new'));
    const p2 = secretField('backup-pass2', t('backup.passphrase.confirm'));
    const fields = h('div', { hidden: true, id: 'backup-other-fields' }, p1.row, p2.row);
    other.addEventListener('change', () => { fields.hidden = !other.checked; });
    const exportButton = h('button', { type: 'button', class: 'primary', id: 'backup-export', onclick: async () => {
      exportBox.show('');
      exportButton.disabled = true;
      try {
        const made = await withProgress(t('backup.export.title'), () => api.backupExport(t('backup.pick_folder'), other.checked ? p1.input.value : null, other.checked ? p2.input.value : null));
        if (made) await load(`${t('backup.made', { file: made.file, kb: kb(made.bytes) })} ${summaryText(made)}`);
      } catch (err) { exportBox.show(issueText(err)); } finally { exportButton.disabled = false; }
    } }, t('backup.export'));
    const exportCard = h('div', { class: 'card', id: 'backup-export-card' },
      h('h2', {}, t('backup.export.title')),
      h('p', { class: 'hint' }, t('backup.export.about')),
      h('label', { class: 'check', for: 'backup-other' }, other, t('backup.other_passphrase')),
      fields, exportBox.el, exportButton);

    // Verify.
    const verifyBox = messageBox('backup-verify-message', 'notice');
    const vp = secretField('backup-verify-pass', t('backup.passphrase'));
    const verifyCard = h('div', { class: 'card', id: 'backup-verify-card' },
      h('h2', {}, t('backup.verify.title')),
      h('p', { class: 'hint' }, t('backup.passphrase.hint')), vp.row, verifyBox.el,
      h('button', { type: 'button', id: 'backup-verify', onclick: async () => {
        verifyBox.show('');
        try {
          const v = await api.backupVerify(t('backup.pick_file'), vp.input.value);
          if (v) verifyBox.show(`${t('backup.good')} ${summaryText(v)}`);
        } catch (err) { verifyBox.show(`${t('backup.bad')} ${errorText(err)}`); }
      } }, t('backup.verify')));

    // Restore.
    const restoreBox = messageBox('backup-restore-message', 'notice');
    const rp = secretField('backup-restore-pass', t('backup.passphrase'));
    const understood = h('input', { type: 'checkbox', id: 'backup-restore-ok' });
    const restoreButton = h('button', { type: 'button', id: 'backup-restore', disabled: true, onclick: async () => {
      restoreBox.show('');
      try {
        const r = await withProgress(t('backup.restore.title'), () => api.backupRestore(t('backup.pick_file'), rp.input.value));
        if (r) {
          rp.input.value = '';
          understood.checked = false;
          restoreButton.disabled = true;
          // Erasures made after the backup are carried forward; the message says so.
          const again = [
            r.destroyedAgain ? t('backup.destroyed_again', { n: r.destroyedAgain }) : '',
            r.anonymizedAgain ? t('backup.anonymized_again', { n: r.anonymizedAgain }) : '',
            r.stopEntriesKept ? t('backup.stop_entries_kept', { n: r.stopEntriesKept }) : '',
            r.otherVault ? t('backup.other_vault') : '',
          ].filter(Boolean).join(' ');
          restoreBox.show(`${t('backup.restored', { copy: r.safetyCopy })} ${summaryText(r.summary)} ${again}`.trim());
          api.backupOverview().then(showSafety).catch(() => {});
        }
      } catch (err) { restoreBox.show(`${t('backup.bad')} ${errorText(err)}`); }
    } }, t('backup.restore'));
    understood.addEventListener('change', () => { restoreButton.disabled = !understood.checked; });
    const safety = h('div', { id: 'backup-safety' });
    function showSafety(ov) {
      const copies = ov.safetyCopies || [];
      replace(safety, copies.length
        ? h('ul', { class: 'doc-list', id: 'backup-safety-copies' }, copies.map(([file, made, bytes]) =>
          h('li', { 'data-file': file }, h('span', { class: 'mono' }, `${fmtDate(made)} ${made.slice(11, 16)}`), ` · ${(bytes / 1048576).toFixed(1)} MB · `, h('span', { class: 'muted small' }, file))))
        : h('p', { class: 'muted', id: 'backup-safety-none' }, t('backup.safety.none')));
    }
    const restoreCard = h('div', { class: 'card', id: 'backup-restore-card' },
      h('h2', {}, t('backup.restore.title')),
      h('p', { class: 'hint' }, t('backup.restore.about')), rp.row,
      h('label', { class: 'check', for: 'backup-restore-ok' }, understood, t('backup.restore.understood')),
      restoreBox.el, restoreButton,
      // The copies kept before earlier restores: rotated like backups, the newest always kept.
      h('h3', {}, t('backup.safety.title')), safety);
    showSafety(o);

    // Automatic backups.
    const autoBox = messageBox('backup-auto-message', 'notice');
    // Which folder to save: the one as it is, the one just chosen in the native dialog, or none
    // (the page never sends a path).
    let folder = 'keep';
    const dir = h('input', { id: 'backup-auto-dir', value: o.autoDir ?? '', readonly: true, placeholder: t('backup.auto.none'), 'aria-label': t('setup.backup.folder') });
    const num = (id, v, max) => h('input', { id, type: 'number', min: '0', max: String(max), value: String(v), class: 'narrow' });
    const daily = num('backup-keep-daily', o.keepDaily, 366);
    const weekly = num('backup-keep-weekly', o.keepWeekly, 520);
    const monthly = num('backup-keep-monthly', o.keepMonthly, 240);
    const remind = num('backup-remind-days', o.remindDays, 365);
    const field = (id, label, input) => h('label', { class: 'field inline', for: id }, h('span', {}, label), input);
    const autoCard = h('form', { class: 'card', id: 'backup-auto-card' },
      h('h2', {}, t('backup.auto.title')),
      h('p', { class: 'hint' }, t('backup.auto.about')),
      h('div', { class: 'toolbar' }, dir,
        h('button', { type: 'button', id: 'backup-auto-pick', onclick: async () => {
          try { const d = await api.backupPickFolder(t('backup.pick_folder')); if (d) { dir.value = d; folder = 'picked'; } } catch (err) { autoBox.show(errorText(err)); }
        } }, t('backup.auto.pick')),
        h('button', { type: 'button', id: 'backup-auto-clear', onclick: () => { dir.value = ''; folder = 'none'; } }, t('backup.auto.clear'))),
      h('div', { class: 'numbering' },
        field('backup-keep-daily', t('backup.keep.daily'), daily),
        field('backup-keep-weekly', t('backup.keep.weekly'), weekly),
        field('backup-keep-monthly', t('backup.keep.monthly'), monthly),
        field('backup-remind-days', t('backup.remind_days'), remind)),
      autoBox.el,
      h('button', { type: 'submit', class: 'primary', id: 'backup-auto-save' }, t('backup.auto.save')));
    autoCard.addEventListener('submit', async (e) => {
      e.preventDefault();
      autoBox.show('');
      try {
        await api.backupAutoSet({ folder, keepDaily: Number(daily.value), keepWeekly: Number(weekly.value), keepMonthly: Number(monthly.value), remindDays: Number(remind.value) });
        autoBox.show(t('settings.saved'));
      } catch (err) { autoBox.show(issueText(err)); }
    });

    return [status, exportCard, verifyCard, restoreCard, autoCard];
  }
  load();
  return root;
}
