// Import and export of subjects: choose a file, check the column mapping and the report per row,
// then confirm. Nothing is written before the confirmation, and then all rows or none.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { withProgress } from '../widgets/progress.js';
import { messageBox } from '../widgets/common.js';

const FIELDS = ['iin', 'doc_number', 'surname', 'given_name', 'patronymic', 'birth_date', 'email', 'phone', 'address', 'notes'];
const fieldLabel = (f) => t(`field.${f === 'email' ? 'emails' : f === 'phone' ? 'phones' : f}`).split(' (')[0];

export function importView(app) {
  const box = messageBox('import-message', 'notice');
  const work = h('div', { id: 'import-work' });
  const exportBox = messageBox('export-message', 'notice');
  return h('div', { class: 'import' },
    h('p', { class: 'lead' }, t('import.lead')),
    h('div', { class: 'toolbar' },
      h('button', {
        type: 'button', class: 'primary', id: 'import-choose',
        onclick: async () => {
          box.show('');
          try {
            const p = await api.importOpen(t('dialog.import'));
            if (p) replace(work, preview(app, p, box, work));
          } catch (err) { box.show(errorText(err)); }
        },
      }, t('import.choose')),
      h('button', {
        type: 'button', id: 'export-subjects',
        onclick: async () => {
          try {
            const n = await api.exportSubjects(t('dialog.export'));
            if (n !== null) exportBox.show(t('export.done', { n }));
          } catch (err) { exportBox.show(errorText(err)); }
        },
      }, t('export.subjects'))),
    exportBox.el, box.el, work);
}

function preview(app, p, box, work) {
  const selects = p.headers.map((header, i) => {
    const s = h('select', { 'data-column': i, 'aria-label': header },
      h('option', { value: '' }, t('import.ignore')),
      FIELDS.map((f) => h('option', { value: f, selected: p.mapping[i] === f }, fieldLabel(f))));
    s.addEventListener('change', async () => {
      try { replace(work, preview(app, await api.importRemap(mapping()), box, work)); } catch (err) { box.show(errorText(err)); }
    });
    return s;
  });
  const mapping = () => selects.map((s) => s.value || null);
  const head = h('tr', {}, p.headers.map((hd, i) => h('th', {}, h('div', { class: 'muted small' }, hd), selects[i])));
  const sample = p.sample.map((r) => h('tr', {}, p.headers.map((_, i) => h('td', {}, r[i] ?? ''))));
  const report = p.report;
  const updateDup = h('input', { type: 'checkbox', id: 'import-update' });
  const skipInvalid = h('input', { type: 'checkbox', id: 'import-skip-invalid' });
  const commit = h('button', { type: 'button', class: 'primary', id: 'import-commit', disabled: !report },
    t('import.commit'));
  commit.addEventListener('click', async () => {
    commit.disabled = true;
    try {
      const r = await withProgress(t('job.import'), () => api.importCommit(mapping(), updateDup.checked, skipInvalid.checked));
      replace(work);
      box.show(t('import.done', { created: r.created, updated: r.updated, skipped: r.skipped }));
    } catch (err) {
      box.show(errorText(err));
      commit.disabled = false;
    }
  });
  const notes = report && report.notes && report.notes.length
    ? h('ul', { class: 'warnings', id: 'import-notes' }, report.notes.slice(0, 200).map(([line, field, code]) =>
      h('li', {}, `${t('import.line', { line })} · ${fieldLabel(field)} · ${t(`issue.${code}`)}`)))
    : null;
  const issues = report && report.issues.length
    ? h('table', { class: 'grid issues', id: 'import-issues' }, h('tbody', {}, report.issues.slice(0, 500).map(([line, field, code]) =>
      h('tr', {}, h('td', {}, t('import.line', { line })), h('td', {}, fieldLabel(field === 'emails' ? 'email' : field === 'phones' ? 'phone' : field)), h('td', {}, t(`issue.${code}`))))))
    : null;
  return h('div', { class: 'card' },
    h('p', {}, t('import.file', { name: p.fileName, encoding: p.encoding === 'workbook' ? t('import.workbook') : p.encoding })),
    h('h3', {}, t('import.mapping')),
    h('div', { class: 'scroll-x' }, h('table', { class: 'grid mapping' }, h('thead', {}, head), h('tbody', {}, sample))),
    p.problem ? h('p', { class: 'message error', role: 'alert' }, errorText(p.problem)) : null,
    report ? h('p', { id: 'import-summary' }, t('import.summary', { rows: report.rows, new: report.new, existing: report.existing, invalid: report.invalidRows })) : null,
    notes,
    issues,
    h('label', { class: 'check' }, updateDup, h('span', {}, t('import.update_duplicates'))),
    h('label', { class: 'check' }, skipInvalid, h('span', {}, t('import.skip_invalid'))),
    h('div', { class: 'actions' }, commit));
}
