// The dashboard: the requests at risk first (the overdue ones listed), then the figures, the age
// of the last backup, and a warning when the working-day calendar is not confirmed.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate } from '../format.js';
import { standingChip } from '../widgets/standing.js';

function tile(id, label, value, tone = '', onclick = null) {
  return h(onclick ? 'button' : 'div', { class: `tile ${tone}`, id, type: onclick ? 'button' : null, onclick },
    h('div', { class: 'tile-value' }, String(value)),
    h('div', { class: 'tile-label' }, label));
}

function daysSince(iso) {
  const then = Date.parse(iso);
  return Number.isNaN(then) ? null : Math.floor((Date.now() - then) / 86400000);
}

export function dashboardView(app) {
  const body = h('div', { class: 'tiles' });
  const alert = h('div', { id: 'overdue-alert' });
  const breachAlert = h('div', { id: 'breach-alert-holder' });
  const overdue = h('div', { id: 'overdue-list' });
  const kinds = h('div', { id: 'open-by-kind' });
  const notes = h('div', { id: 'dashboard-notes' });
  const foot = h('p', { class: 'muted small' });
  const goList = (view) => () => app.go('requests', { view });
  api.status().then((s) => {
    if (s.breachesUnnotified > 0) {
      replace(breachAlert, h('p', { class: `message ${s.breachesOverdue ? 'error' : 'notice'}`, role: 'alert', id: 'breach-alert' },
        t(s.breachesOverdue ? 'dashboard.breach_overdue' : 'dashboard.breach_due', { n: s.breachesUnnotified }), ' ',
        h('button', { type: 'button', class: 'small', onclick: () => app.go('breaches') }, t('dashboard.breach_open'))));
    }
    if (s.overdueRequests > 0) {
      replace(alert, h('p', { class: 'message error', role: 'alert' },
        t('dashboard.overdue_alert', { n: s.overdueRequests })));
      api.requestList('overdue', null, 0, 10).then((page) => replace(overdue,
        h('h2', {}, t('dashboard.overdue_list')),
        h('table', { class: 'grid' }, h('tbody', {}, page.rows.map((r) => h('tr', {
          class: 'clickable', 'data-id': r.id, onclick: () => app.openRequest(r.id),
        }, h('td', { class: 'date' }, fmtDate(r.extendedTo || r.dueOn)), h('td', {}, standingChip(r.standing)),
        h('td', {}, t(`kind.${r.kind}`)), h('td', {}, r.who))))))).catch((err) => app.handleError(err, overdue));
    }
    replace(body,
      tile('tile-overdue', t('dashboard.overdue'), s.overdueRequests, s.overdueRequests ? 'bad' : '', goList('overdue')),
      tile('tile-due-today', t('dashboard.due_today'), s.dueToday, s.dueToday ? 'warn' : '', goList('today')),
      tile('tile-due-week', t('dashboard.due_week'), s.dueThisWeek, '', goList('week')),
      tile('tile-new', t('dashboard.new'), s.newRequests, '', goList('new')),
      tile('tile-open', t('dashboard.open'), s.openRequests, '', goList('open')),
      tile('tile-subjects', t('dashboard.subjects'), s.subjects),
      tile('tile-no-basis', t('dashboard.without_basis'), s.withoutBasis, s.withoutBasis ? 'warn' : '', () => app.go('subjects', { noBasis: true })),
      tile('tile-consents', t('dashboard.consents'), s.consents),
      tile('tile-journal', t('dashboard.journal'), s.journalEntries));
    if (s.openByKind.length) {
      replace(kinds, h('h2', {}, t('dashboard.by_kind')),
        h('table', { class: 'grid narrow' }, h('tbody', {}, s.openByKind.map(([k, n]) =>
          h('tr', {}, h('td', {}, t(`kind.${k}`)), h('td', { class: 'num' }, String(n)))))));
    }
    const age = s.lastBackupAt ? daysSince(s.lastBackupAt) : null;
    const jd = s.journalDivergence;
    const lastCheckBad = s.lastCheck && s.lastCheck[1] !== 'good';
    replace(notes,
      s.passphraseInterrupted ? h('p', { class: 'message notice', id: 'passphrase-interrupted' },
        t('dashboard.passphrase_interrupted', { date: fmtDate(s.passphraseInterrupted.slice(0, 10)) })) : null,
      lastCheckBad ? h('p', { class: 'message error', id: 'check-bad-note' },
        t('dashboard.check_bad', { date: fmtDate(s.lastCheck[0].slice(0, 10)) }), ' ',
        h('button', { type: 'button', class: 'small', id: 'check-open', onclick: () => app.go('settings') }, t('dashboard.check_open'))) : null,
      jd ? h('p', { class: 'message error', id: 'journal-diverged', role: 'alert' },
        t(jd.code === 'journal.rewritten' ? 'dashboard.journal_rewritten' : 'dashboard.journal_missing',
          { n: jd.to - jd.from + 1, from: jd.from, to: jd.to, date: fmtDate(jd.writtenAt.slice(0, 10)), found: fmtDate(jd.foundAt.slice(0, 10)) })) : null,
      h('p', { id: 'backup-age', class: s.backupReminder ? 'message notice' : 'muted' },
        age === null ? t('dashboard.backup_never') : t('dashboard.backup_age', { n: age }),
        s.backupReminder ? [' ', h('button', { type: 'button', class: 'small', id: 'backup-now', onclick: () => app.go('backups') }, t('dashboard.backup_now'))] : null),
      s.unconfirmedYears.length ? h('p', { class: 'message notice', id: 'calendar-unconfirmed' },
        t('dashboard.calendar_unconfirmed', { years: s.unconfirmedYears.join(', ') })) : null,
      s.calendarRevision ? h('p', { class: 'message notice', id: 'calendar-corrected' },
        t('dashboard.calendar_corrected', { n: s.calendarRevision[2], days: s.calendarRevision[0] }),
        s.calendarRevision[1] ? [' ', t('dashboard.calendar_corrected_kept', { n: s.calendarRevision[1] })] : null) : null);
    foot.textContent = t('dashboard.schema', { n: s.schemaVersion });
  }).catch((err) => app.handleError(err, alert));
  // Data past its retention period (policy 5.7, 8.8): read apart, the sweep reads every holding.
  const retention = h('div', { id: 'retention-note' });
  api.retentionSweep(0, 0).then((s) => {
    const n = s.whole + s.partial;
    if (n) {
      replace(retention, h('p', { class: 'message notice' }, t('dashboard.retention', { n }), ' ',
        h('button', { type: 'button', class: 'small', id: 'retention-open', onclick: () => app.go('retention') }, t('dashboard.retention_open'))));
    }
  }).catch((err) => app.handleError(err, retention));
  // What ends or falls due soon (issue 19), read apart: it runs the retention rules ahead.
  const ahead = h('div', { id: 'reminders' });
  api.reminders().then((r) => {
    const sections = [];
    const list = (id, title, rows) => rows.length ? h('div', { id }, h('h3', {}, title),
      h('table', { class: 'grid' }, h('tbody', {}, rows))) : null;
    sections.push(list('reminders-requests', t('reminders.requests', { n: r.requests.length, date: fmtDate(r.nextWorkingDay) }),
      r.requests.map((q) => h('tr', { class: 'clickable', onclick: () => app.openRequest(q.id) },
        h('td', { class: 'date' }, fmtDate(q.dueOn)), h('td', {}, `№ ${q.id}`), h('td', {}, t(`kind.${q.kind}`))))));
    sections.push(list('reminders-consents', t('reminders.consents', { n: r.consentsTotal, days: r.consentDays }),
      r.consents.map((c) => h('tr', { class: 'clickable', onclick: () => app.openSubject(c.subjectId) },
        h('td', { class: 'date' }, fmtDate(c.validUntil)), h('td', {}, c.name)))));
    sections.push(list('reminders-holdings', t('reminders.holdings', { n: r.holdingsTotal, days: r.holdingDays }),
      r.holdings.map((x) => h('tr', { class: 'clickable', onclick: () => app.openSubject(x.subjectId) },
        h('td', { class: 'date' }, fmtDate(x.endsOn)), h('td', {}, x.name), h('td', { class: 'muted' }, t(`retention.reason.${x.reason}`))))));
    if (r.calendarUnconfirmed) {
      sections.push(h('p', { class: 'message notice', id: 'reminders-calendar' },
        t('reminders.calendar', { year: r.calendarUnconfirmed }), ' ',
        h('button', { type: 'button', class: 'small', onclick: () => app.go('settings') }, t('reminders.calendar_open'))));
    }
    const shown = sections.filter(Boolean);
    replace(ahead, shown.length ? [h('h2', {}, t('reminders.title')), shown] : []);
  }).catch((err) => app.handleError(err, ahead));
  return h('section', { class: 'area', id: 'area-dashboard' },
    h('h1', {}, t('dashboard.title')), breachAlert, alert, overdue, body, kinds, ahead, notes, retention, foot);
}
