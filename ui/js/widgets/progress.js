// Long work (import, backup, restore, batch destruction, the retention sweep) in a modal with a
// progress bar and a Stop button. The dialog opens once the work has begun (not while a native
// file chooser is still asking where); Stop or Esc asks it to stop, and the work then rolls back,
// so nothing is left half-done.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';

const POLL_MS = 150;

/** Runs `work()` (a promise-returning API call) with the progress dialog titled `title`. */
export async function withProgress(title, work) {
  const bar = h('progress', { id: 'job-bar', max: '1', value: '0', 'aria-labelledby': 'job-title' });
  const status = h('p', { id: 'job-status', role: 'status', 'aria-live': 'polite' }, t('job.starting'));
  const stop = h('button', { type: 'button', id: 'job-cancel', onclick: async () => {
    stop.disabled = true;
    status.textContent = t('job.stopping');
    try { await api.jobCancel(); } catch { /* the work ended meanwhile */ }
  } }, t('job.cancel'));
  const dialog = h('dialog', { id: 'job-dialog', class: 'help job', 'aria-labelledby': 'job-title' },
    h('h2', { id: 'job-title' }, title), bar, status, h('div', { class: 'wizard-nav' }, stop));
  // Esc stops the work rather than hiding a dialog that would leave it running unseen.
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); if (!stop.disabled) stop.click(); });
  let shown = false;
  let polling = true;
  const poll = async () => {
    while (polling) {
      try {
        const j = await api.jobProgress();
        if (j.running && !shown && polling) {
          document.body.appendChild(dialog);
          dialog.showModal();
          stop.focus();
          shown = true;
        }
        if (j.running && j.total > 0 && !j.stopping) {
          bar.value = j.done / j.total;
          status.textContent = t('job.progress', { done: j.done, total: j.total });
        }
      } catch { /* keep polling until the work ends */ }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };
  poll();
  try {
    return await work();
  } finally {
    polling = false;
    if (shown) dialog.close();
    dialog.remove();
  }
}
