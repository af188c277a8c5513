// Import and export of subjects: choose a file, check the column mapping and the report per row,
// then confirm. Nothing is written before the confirmation, and then all rows or none.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { withProgress } from '../widgets/progress.js';
import { messageBox } from '../widgets/common.js';

// Identity fields are named as on the card; what is held and the consent by the import's own words.
const IDENTITY = ['iin', 'doc_number', 'surname', 'given_name', 'patronymic', 'birth_date', 'email', 'phone', 'address', 'notes'];
const fieldLabel = (f) => (IDENTITY.includes(f) || f === 'emails' || f === 'phones' || f === 'row'
  ? t(`field.${f === 'email' ? 'emails' : f === 'phone' ? 'phones' : f}`).split(' (')[0]
  : t(`import.field.${f === 'category' ? 'categories' : f === 'purpose' ? 'purposes' : f}`));

/** `nav.catalogsChanged`: called when an import added catalogue entries (cached lists are stale). */
export function importView(app, nav = {}) {
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
            if (p) replace(work, preview(app, p, box, work, nav));
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

function preview(app, p, box, work, nav) {
  const held = p.fields.filter((f) => !IDENTITY.includes(f));
  const again = async (addUnknown) => {
    try { replace(work, preview(app, await api.importRemap(mapping(), addUnknown), box, work, nav)); } catch (err) { box.show(errorText(err)); }
  };
  const selects = p.headers.map((header, i) => {
    const s = h('select', { 'data-column': i, 'aria-label': header },
      h('option', { value: '' }, t('import.ignore')),
      h('optgroup', { label: t('import.group.identity') },
        IDENTITY.map((f) => h('option', { value: f, selected: p.mapping[i] === f }, fieldLabel(f)))),
      h('optgroup', { label: t('import.group.held') },
        held.map((f) => h('option', { value: f, selected: p.mapping[i] === f }, fieldLabel(f)))));
    s.addEventListener('change', () => again(p.addUnknown));
    return s;
  });
  const mapping = () => selects.map((s) => s.value || null);
  const head = h('tr', {}, p.headers.map((hd, i) => h('th', {}, h('div', { class: 'muted small' }, hd), selects[i])));
  const sample = p.sample.map((r) => h('tr', {}, p.headers.map((_, i) => h('td', {}, r[i] ?? ''))));
  const report = p.report;
  const updateDup = h('input', { type: 'checkbox', id: 'import-update' });
  const skipInvalid = h('input', { type: 'checkbox', id: 'import-skip-invalid' });
  const addUnknown = h('input', { type: 'checkbox', id: 'import-add-unknown', checked: p.addUnknown });
  addUnknown.addEventListener('change', () => again(addUnknown.checked));
  const commit = h('button', { type: 'button', class: 'primary', id: 'import-commit', disabled: !report },
    t('import.commit'));
  commit.addEventListener('click', async () => {
    commit.disabled = true;
    try {
      const r = await withProgress(t('job.import'), () => api.importCommit(mapping(), updateDup.checked, skipInvalid.checked, addUnknown.checked));
      replace(work);
      if (r.catalogAdded) nav.catalogsChanged?.();
      box.show([t('import.done', { created: r.created, updated: r.updated, skipped: r.skipped }),
        r.holdings || r.consents ? t('import.done_held', { holdings: r.holdings, consents: r.consents }) : '',
        r.catalogAdded ? t('import.done_catalog', { n: r.catalogAdded }) : ''].filter(Boolean).join(' '));
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
  // What the file says is held, in which shape, and the names the catalogues lack.
  const heldSummary = report && report.shape ? h('p', { id: 'import-held' },
    t(`import.shape.${report.shape}`), ' ',
    t('import.held', { holdings: report.holdings, consents: report.consents }),
    report.mergedRows ? ` ${t('import.merged', { n: report.mergedRows })}` : '') : null;
  const unknown = report && report.unknown.length ? h('div', { id: 'import-unknown', class: 'card-section' },
    h('p', {}, t('import.unknown')),
    h('ul', {}, report.unknown.map((u) => h('li', { 'data-kind': u.kind },
      `${t(`import.field.${u.kind === 'category' ? 'categories' : u.kind === 'purpose' ? 'purposes' : u.kind}`)}: «${u.name}» · ${t('import.rows', { n: u.rows })}`))),
    h('label', { class: 'check' }, addUnknown, h('span', {}, t('import.add_unknown')))) : null;
  if (!unknown && p.addUnknown) addUnknown.checked = true;
  const noBasis = report && !report.shape ? h('p', { class: 'hint', id: 'import-no-basis' }, t('import.no_held')) : null;
  return h('div', { class: 'card' },
    h('p', {}, t('import.file', { name: p.fileName, encoding: p.encoding === 'workbook' ? t('import.workbook') : p.encoding })),
    h('h3', {}, t('import.mapping')),
    h('div', { class: 'scroll-x' }, h('table', { class: 'grid mapping' }, h('thead', {}, head), h('tbody', {}, sample))),
    p.problem ? h('p', { class: 'message error', role: 'alert' }, errorText(p.problem)) : null,
    report ? h('p', { id: 'import-summary' }, t('import.summary', { rows: report.rows, new: report.new, existing: report.existing, invalid: report.invalidRows })) : null,
    heldSummary, noBasis, unknown,
    notes,
    issues,
    h('label', { class: 'check' }, updateDup, h('span', {}, t('import.update_duplicates'))),
    h('label', { class: 'check' }, skipInvalid, h('span', {}, t('import.skip_invalid'))),
    h('div', { class: 'actions' }, commit));
}
