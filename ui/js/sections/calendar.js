// Settings: the working-day calendar — holidays and decree transfers per year, editable, and a
// year imported from CSV. Every change recomputes the due dates of open requests.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate } from '../format.js';
import { messageBox } from '../widgets/common.js';

const WEEKDAYS = { ru: ['вс', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб'], kk: ['жс', 'дс', 'сс', 'ср', 'бс', 'жм', 'сн'], en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] };

function weekday(iso) {
  const lang = document.documentElement.lang || 'ru';
  const d = new Date(`${iso}T12:00:00`);
  return (WEEKDAYS[lang] || WEEKDAYS.ru)[d.getDay()];
}

/** Why a day deviates from the plain week, in the UI's language. */
function reasonText(d) {
  const holiday = d.holiday ? t(`holiday.${d.holiday}`) : '';
  switch (d.reason) {
    case 'holiday': return holiday;
    case 'moved': return t('calendar.reason.moved', { holiday, from: fmtDate(d.otherDay) });
    case 'religious': return d.expected ? t('calendar.reason.expected', { holiday }) : holiday;
    case 'transfer_off': return t('calendar.reason.transfer_off', { day: fmtDate(d.otherDay) });
    case 'transfer_working': return t('calendar.reason.transfer_working', { day: fmtDate(d.otherDay) });
    default: return d.note ? t('calendar.reason.user_note', { note: d.note }) : t('calendar.reason.user');
  }
}

export function calendarView(app) {
  const thisYear = new Date().getFullYear();
  const year = h('select', { id: 'calendar-year' },
    [thisYear - 1, thisYear, thisYear + 1, thisYear + 2].map((y) => h('option', { value: String(y), selected: y === thisYear }, String(y))));
  const list = h('div', { id: 'calendar-days' });
  const notice = h('p', { class: 'message notice', id: 'calendar-unconfirmed-note', hidden: true }, t('calendar.unconfirmed'));
  const message = messageBox('calendar-message', 'notice');
  const day = h('input', { id: 'calendar-day', placeholder: 'ДД.ММ.ГГГГ' });
  const kind = h('select', { id: 'calendar-kind' }, ['off', 'working', 'plain'].map((k) => h('option', { value: k }, t(`calendar.${k}`))));
  const note = h('input', { id: 'calendar-note' });

  async function load() {
    try {
      const y = await api.calendarYear(Number(year.value));
      notice.hidden = !y.unconfirmed;
      replace(list, y.days.length ? h('table', { class: 'grid' }, h('tbody', {}, y.days.map((d) => h('tr', { 'data-day': d.day },
        h('td', { class: 'mono' }, fmtDate(d.day)), h('td', { class: 'muted' }, weekday(d.day)),
        h('td', {}, h('span', { class: `chip ${d.kind === 'off' ? 'state-withdrawn' : 'state-active'}` }, t(`calendar.${d.kind}`))),
        h('td', { class: 'reason' }, reasonText(d)),
        h('td', {}, h('button', { type: 'button', class: 'link small', onclick: () => save(d.day, 'plain', '') }, t('calendar.remove')))))))
        : h('p', { class: 'muted' }, t('calendar.empty')));
    } catch (err) {
      app.handleError(err, list);
    }
  }
  async function save(d, k, n) {
    message.show('');
    try {
      const moved = await api.calendarSet(d, k, n);
      message.show(t('calendar.recomputed', { n: moved }));
      await load();
    } catch (err) {
      message.show(err.code === 'invalid' ? (err.issues || []).map((i) => t(`issue.${i.code}`)).join(' ') : errorText(err));
    }
  }
  year.addEventListener('change', load);
  const form = h('form', { class: 'inline-form', id: 'calendar-form' },
    h('label', { class: 'field' }, h('span', {}, t('calendar.day')), day),
    h('label', { class: 'field' }, h('span', {}, t('calendar.kind')), kind),
    h('label', { class: 'field' }, h('span', {}, t('calendar.note')), note),
    h('button', { type: 'submit', class: 'primary', id: 'calendar-save' }, t('calendar.set')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    save(day.value, kind.value, note.value).then(() => { day.value = ''; note.value = ''; });
  });
  // An import is previewed first: the days that would change, then Apply or Cancel.
  const replaceBox = h('input', { type: 'checkbox', id: 'calendar-import-replace' });
  const preview = h('div', { id: 'calendar-preview', hidden: true });
  const stateText = (k) => t(`calendar.${k}`);
  const importButton = h('button', { type: 'button', id: 'calendar-import', onclick: async () => {
    message.show('');
    preview.hidden = true;
    const y = Number(year.value);
    const whole = replaceBox.checked;
    try {
      const r = await api.calendarImport(y, whole, t('dialog.calendar'));
      if (!r) return;
      if (r.badRows.length) {
        message.show(t('calendar.bad_rows', { rows: r.badRows.map(([line, code]) => t('calendar.line', { line, what: t(`issue.${code}`) })).join('; ') }));
        return;
      }
      if (!r.changes.length) {
        message.show(t('calendar.preview.none'));
        return;
      }
      const apply = h('button', { type: 'button', class: 'primary', id: 'calendar-apply', onclick: async () => {
        try {
          const moved = await api.calendarImportApply(y, whole, r.rows);
          preview.hidden = true;
          message.show(t('calendar.recomputed', { n: moved }));
          await load();
        } catch (err) { message.show(errorText(err)); }
      } }, t('calendar.preview.apply'));
      const cancel = h('button', { type: 'button', id: 'calendar-cancel', onclick: () => { preview.hidden = true; } }, t('calendar.preview.cancel'));
      replace(preview,
        h('p', {}, t(whole ? 'calendar.preview.replace' : 'calendar.preview.merge', { n: r.changes.length, year: y })),
        h('table', { class: 'grid' }, h('tbody', {}, r.changes.map((c) => h('tr', { 'data-day': c.day },
          h('td', { class: 'mono' }, fmtDate(c.day)), h('td', { class: 'muted' }, weekday(c.day)),
          h('td', {}, stateText(c.before)), h('td', {}, '→'), h('td', {}, stateText(c.after)))))),
        h('div', { class: 'toolbar' }, apply, cancel));
      preview.hidden = false;
    } catch (err) { message.show(errorText(err)); }
  } }, t('calendar.import'));
  load();
  return h('div', { class: 'card', id: 'calendar-settings' },
    h('h2', {}, t('settings.calendar')),
    h('p', { class: 'lead' }, t('settings.calendar.lead')),
    h('label', { class: 'field inline' }, h('span', {}, t('calendar.year')), year),
    notice, list, form,
    h('div', { class: 'toolbar' }, importButton,
      h('label', { class: 'check' }, replaceBox, h('span', {}, t('calendar.import.replace')))),
    h('p', { class: 'hint' }, t('calendar.import.hint')), preview,
    message.el);
}

/** Settings: the deadline term of each kind of request, with its source. */
export function rulesView(app) {
  const table = h('div', { id: 'rules-table' });
  const message = messageBox('rules-message', 'notice');
  async function load() {
    try {
      const rules = await api.deadlineRules();
      replace(table, h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, [t('req.col.kind'), t('rules.count'), t('rules.unit'), t('rules.source'), t('rules.confidence'), ''].map((x) => h('th', {}, x)))),
        h('tbody', {}, rules.map((r) => {
          const count = h('input', { type: 'number', min: '1', max: '365', value: String(r.count), class: 'narrow', 'aria-label': t('rules.count'), id: `rule-${r.kind}-count` });
          const unit = h('select', { 'aria-label': t('rules.unit'), id: `rule-${r.kind}-unit` },
            ['working', 'calendar'].map((u) => h('option', { value: u, selected: u === r.unit }, t(`unit.${u}`))));
          const source = h('input', { value: r.source, 'aria-label': t('rules.source'), id: `rule-${r.kind}-source` });
          const save = h('button', { type: 'button', class: 'small', id: `rule-${r.kind}-save`, onclick: async () => {
            message.show('');
            try {
              const moved = await api.deadlineRuleSet(r.kind, Number(count.value), unit.value, source.value);
              message.show(t('calendar.recomputed', { n: moved }));
              await load();
            } catch (err) {
              message.show(err.code === 'invalid' ? (err.issues || []).map((i) => t(`issue.${i.code}`)).join(' ') : errorText(err));
            }
          } }, t('rules.save'));
          return h('tr', { 'data-kind': r.kind }, h('td', {}, t(`kind.${r.kind}`)), h('td', {}, count), h('td', {}, unit),
            h('td', {}, source), h('td', { class: 'muted small' }, r.confidence), h('td', {}, save));
        }))));
    } catch (err) {
      app.handleError(err, table);
    }
  }
  load();
  return h('div', { class: 'card', id: 'rules-settings' },
    h('h2', {}, t('settings.rules')), h('p', { class: 'lead' }, t('settings.rules.lead')), table, message.el);
}
