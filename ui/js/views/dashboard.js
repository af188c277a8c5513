// The dashboard: the vault's figures at a glance, overdue requests first.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';

function tile(id, label, value, tone = '') {
  return h('div', { class: `tile ${tone}`, id },
    h('div', { class: 'tile-value' }, String(value)),
    h('div', { class: 'tile-label' }, label));
}

export function dashboardView(app) {
  const body = h('div', { class: 'tiles' });
  const alert = h('div', { id: 'overdue-alert' });
  const foot = h('p', { class: 'muted small' });
  api.status().then((s) => {
    if (s.overdueRequests > 0) {
      replace(alert, h('p', { class: 'message error', role: 'alert' },
        t('dashboard.overdue_alert', { n: s.overdueRequests })));
    }
    replace(body,
      tile('tile-overdue', t('dashboard.overdue'), s.overdueRequests, s.overdueRequests ? 'bad' : ''),
      tile('tile-due-today', t('dashboard.due_today'), s.dueToday, s.dueToday ? 'warn' : ''),
      tile('tile-open', t('dashboard.open'), s.openRequests),
      tile('tile-subjects', t('dashboard.subjects'), s.subjects),
      tile('tile-consents', t('dashboard.consents'), s.consents),
      tile('tile-journal', t('dashboard.journal'), s.journalEntries));
    foot.textContent = t('dashboard.schema', { n: s.schemaVersion });
  }).catch((err) => app.handleError(err, alert));
  return h('section', { class: 'area', id: 'area-dashboard' },
    h('h1', {}, t('dashboard.title')), alert, body, foot);
}
