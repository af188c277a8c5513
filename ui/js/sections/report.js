// The period report: requests received in a month, quarter or year, by type and outcome, the
// share answered on time and the median answer time in working days. Export as CSV.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate } from '../format.js';
import { messageBox } from '../widgets/common.js';
import { letterEditor } from './letter-editor.js';

const pct = (v) => (v === null || v === undefined ? '—' : `${v.toFixed(1)}`);
const num = (v) => (v === null || v === undefined ? '—' : v.toFixed(1));

export function reportView(app) {
  const now = new Date();
  const unit = h('select', { id: 'report-unit' },
    ['month', 'quarter', 'year'].map((u) => h('option', { value: u }, t(`report.${u}`))));
  const year = h('input', { id: 'report-year', type: 'number', min: '2000', max: '2100', value: String(now.getFullYear()), class: 'narrow' });
  const month = h('select', { id: 'report-month' }, Array.from({ length: 12 }, (_, i) => h('option', { value: String(i + 1), selected: i === now.getMonth() }, String(i + 1).padStart(2, '0'))));
  const quarter = h('select', { id: 'report-quarter', hidden: true }, [1, 2, 3, 4].map((q) => h('option', { value: String(q), selected: q === Math.floor(now.getMonth() / 3) + 1 }, `Q${q}`)));
  const out = h('div', { id: 'report-table' });
  const message = messageBox('report-message', 'notice');
  unit.addEventListener('change', () => {
    month.hidden = unit.value !== 'month';
    quarter.hidden = unit.value !== 'quarter';
  });
  const period = () => {
    if (unit.value === 'month') return `${year.value}-${month.value.padStart(2, '0')}`;
    if (unit.value === 'quarter') return `${year.value}-Q${quarter.value}`;
    return year.value;
  };
  async function show() {
    message.show('');
    try {
      const r = await api.reportPeriod(period());
      const row = (l, name) => h('tr', {}, h('td', {}, name), h('td', {}, String(l.received)), h('td', {}, String(l.answered)),
        h('td', {}, String(l.refused)), h('td', {}, String(l.open)), h('td', {}, String(l.cancelled)), h('td', { class: l.overdue ? 'overdue' : '' }, String(l.overdue)),
        h('td', {}, String(l.late)), h('td', {}, String(l.extended)),
        h('td', { title: t('report.on_time_of', { n: l.dueByNow, on: l.onTime }) }, pct(l.onTimePercent)), h('td', {}, num(l.medianDays)));
      // The open overdue requests and the extensions, as the PDF and the CSV give them.
      const details = (r.details || []).map((d, i) => h('section', { class: 'report-detail', id: `report-detail-${i}` },
        h('h3', {}, d.caption),
        h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, d.header.map((x) => h('th', {}, x)))),
          h('tbody', {}, d.rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c))))))));
      replace(out,
        h('p', { class: 'muted' }, t('report.range', { from: fmtDate(r.from), to: fmtDate(r.to) }), ' · ', t('report.as_of', { day: fmtDate(r.asOf) })),
        r.lines.length ? h('table', { class: 'grid report' },
          h('thead', {}, h('tr', {}, [t('req.col.kind'), t('report.col.received'), t('report.col.answered'), t('report.col.refused'),
            t('report.col.open'), t('report.col.cancelled'), t('report.col.overdue'), t('report.col.late'), t('report.col.extended'), t('report.col.on_time'), t('report.col.median')].map((x) => h('th', {}, x)))),
          h('tbody', {}, r.lines.map((l) => row(l, t(`kind.${l.kind}`))), h('tr', { class: 'total', id: 'report-total' }, ...row(r.total, t('report.total')).childNodes)))
          : h('p', { class: 'muted', id: 'report-empty' }, t('report.empty')),
        r.lines.length ? h('p', { class: 'hint', id: 'report-explain' }, t('report.explain')) : null,
        ...details);
    } catch (err) {
      app.handleError(err, out);
    }
  }
  const exportButton = h('button', { type: 'button', id: 'report-export', onclick: async () => {
    try {
      const n = await api.reportExportCsv(period(), t('dialog.report'));
      if (n !== null) message.show(t('report.exported'));
    } catch (err) { message.show(errorText(err)); }
  } }, t('report.export'));
  const pdfButton = h('button', { type: 'button', id: 'report-export-pdf', onclick: async () => {
    try {
      const n = await api.reportExportPdf(period(), t('dialog.report'));
      if (n !== null) message.show(t('report.exported'));
    } catch (err) { message.show(errorText(err)); }
  } }, t('report.export_pdf'));
  const issueButton = h('button', { type: 'button', id: 'report-issue', onclick: () => {
    const p = period();
    replace(root, letterEditor(app, { kind: 'period-report', period: p }, { cancel: () => root.replaceWith(reportView(app)) }));
  } }, t('report.issue'));
  show();
  const root = h('div', { class: 'report-view' },
    h('div', { class: 'toolbar' },
      h('label', { class: 'field inline' }, h('span', {}, t('report.period')), unit), year, month, quarter,
      h('button', { type: 'button', class: 'primary', id: 'report-show', onclick: show }, t('report.show')), exportButton, pdfButton, issueButton),
    message.el, out);
  return root;
}
