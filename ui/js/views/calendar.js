// Settings: the working-day calendar — holidays and decree transfers per year, editable, and a
// year imported from CSV. Every change recomputes the due dates of open requests.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate } from '../format.js';
import { messageBox } from './common.js';

const WEEKDAYS = { ru: ['вс', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб'], kk: ['жс', 'дс', 'сс', 'ср', 'бс', 'жм', 'сн'], en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] };

function weekday(iso) {
  const lang = document.documentElement.lang || 'ru';
  const d = new Date(`${iso}T12:00:00`);
  return (WEEKDAYS[lang] || WEEKDAYS.ru)[d.getDay()];
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
        h('td', {}, d.note),
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
  const importButton = h('button', { type: 'button', id: 'calendar-import', onclick: async () => {
    message.show('');
    try {
      const r = await api.calendarImport(Number(year.value), t('dialog.calendar'));
      if (!r) return;
      if (r.rows.length) {
        message.show(t('calendar.bad_rows', { rows: r.rows.map(([line, code]) => t('calendar.line', { line, what: t(`issue.${code}`) })).join('; ') }));
      } else {
        message.show(t('calendar.recomputed', { n: r.recomputed }));
        await load();
      }
    } catch (err) { message.show(errorText(err)); }
  } }, t('calendar.import'));
  load();
  return h('div', { class: 'card', id: 'calendar-settings' },
    h('h2', {}, t('settings.calendar')),
    h('p', { class: 'lead' }, t('settings.calendar.lead')),
    h('label', { class: 'field inline' }, h('span', {}, t('calendar.year')), year),
    notice, list, form,
    h('div', { class: 'toolbar' }, importButton), h('p', { class: 'hint' }, t('calendar.import.hint')),
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
