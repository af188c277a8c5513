// Editing the operator's catalogues: the list of personal data it processes (перечень), the
// purposes with their retention, and the versions of its privacy policy (policy 12.2).
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate, itemName, byId } from '../format.js';
import { messageBox } from '../widgets/common.js';

export function catalogsView(app) {
  const root = h('div', { id: 'catalogs' }, h('p', { class: 'muted' }, t('subjects.loading')));
  const reload = () => api.catalogs().then((c) => replace(root,
    table('category', c.categories, reload),
    table('purpose', c.purposes, reload),
    table('subject_category', c.subjectCategories, reload),
    byCategory(c, reload),
    policies(c.policyVersions, reload)))
    .catch((err) => app.handleError(err, root));
  reload();
  return root;
}

function issuesText(err) {
  if (err.code !== 'invalid') return errorText(err);
  return (err.issues || []).map((i) => `${t(`catalog.${i.field}`)}: ${t(`issue.${i.code}`)}`).join(' ');
}

function row(kind, item, reload) {
  const isPurpose = kind === 'purpose';
  const box = messageBox(`cat-${kind}-${item ? item.id : 'new'}-error`);
  const code = h('input', { value: item ? item.code : '', disabled: !!item, 'aria-label': t('catalog.code'), class: 'mono' });
  const names = [0, 1, 2].map((i) => h('input', { value: item ? item.names[i] : '', 'aria-label': t(`catalog.name_${['ru', 'kk', 'en'][i]}`) }));
  const marketing = h('input', { type: 'checkbox', checked: !!(item && item.isMarketing), 'aria-label': t('catalog.is_marketing') });
  const retention = h('input', { type: 'number', min: '1', value: item && item.retentionDays ? item.retentionDays : '', 'aria-label': t('catalog.retention_days') });
  const source = h('select', { 'aria-label': t('catalog.retention_source') },
    h('option', { value: '' }, '—'),
    ['law', 'contract', 'policy'].map((s) => h('option', { value: s, selected: !!item && item.retentionSource === s }, t(`retention.source.${s}`))));
  const note = h('input', { value: item ? item.retentionNote || '' : '', maxlength: '500', 'aria-label': t('catalog.retention_note') });
  const save = h('button', { type: 'button' }, item ? t('form.save') : t('holding.add'));
  save.addEventListener('click', async () => {
    box.show('');
    try {
      await api.saveCatalogItem(kind, item ? item.id : null, {
        code: code.value, names: names.map((n) => n.value), isMarketing: marketing.checked,
        retentionDays: retention.value ? Number(retention.value) : null,
        retentionSource: source.value || null, retentionNote: note.value,
      });
      reload();
    } catch (err) { box.show(issuesText(err)); }
  });
  // A starter kit's entry says what to check until it is saved here.
  const check = item && item.checkNote ? h('div', { class: 'chip warn small', title: item.retentionNote || '' }, t('catalog.check_before_use')) : null;
  return h('tr', {}, h('td', {}, code, check), names.map((n) => h('td', {}, n)),
    isPurpose ? [h('td', { class: 'center' }, marketing), h('td', {}, retention), h('td', {}, source), h('td', {}, note)] : null,
    h('td', {}, save, box.el));
}

function table(kind, items, reload) {
  const isPurpose = kind === 'purpose';
  const heads = ['catalog.code', 'catalog.name_ru', 'catalog.name_kk', 'catalog.name_en',
    ...(isPurpose ? ['catalog.is_marketing', 'catalog.retention_days', 'catalog.retention_source', 'catalog.retention_note'] : []), ''];
  return h('div', { class: 'card', id: `catalog-${kind}` },
    h('h2', {}, t(`catalog.${kind}.title`)),
    h('p', { class: 'muted' }, t(`catalog.${kind}.lead`)),
    h('div', { class: 'scroll-x' }, h('table', { class: 'grid catalog' },
      h('thead', {}, h('tr', {}, heads.map((k) => h('th', {}, k ? t(k) : '')))),
      h('tbody', {}, items.map((it) => row(kind, it, reload)), row(kind, null, reload)))));
}

/** Retention of a purpose for one category of people (a patient's medical record, a visitor's). */
function byCategory(c, reload) {
  const box = messageBox('retention-category-error');
  const sel = (id, label, items) => h('select', { id, 'aria-label': label }, items.map((x) => h('option', { value: String(x.id) }, itemName(x))));
  const purpose = sel('retention-category-purpose', t('catalog.purpose'), c.purposes);
  const category = sel('retention-category-category', t('catalog.subject_category'), c.subjectCategories);
  const days = h('input', { type: 'number', min: '1', id: 'retention-category-days', 'aria-label': t('catalog.retention_days') });
  const source = h('select', { id: 'retention-category-source', 'aria-label': t('catalog.retention_source') },
    h('option', { value: '' }, '—'), ['law', 'contract', 'policy'].map((s) => h('option', { value: s }, t(`retention.source.${s}`))));
  const note = h('input', { id: 'retention-category-note', maxlength: '500', 'aria-label': t('catalog.retention_note') });
  const set = (r, remove) => api.setCategoryRetention(r, remove).then(reload).catch((err) => box.show(issuesText(err)));
  const add = h('button', { type: 'button', id: 'retention-category-add', onclick: () => set({
    purposeId: Number(purpose.value), subjectCategoryId: Number(category.value), days: Number(days.value) || 0,
    source: source.value || null, note: note.value,
  }, false) }, t('form.save'));
  return h('div', { class: 'card', id: 'catalog-retention-by-category' },
    h('h2', {}, t('catalog.by_category.title')),
    h('p', { class: 'muted' }, t('catalog.by_category.lead')),
    h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ['catalog.purpose', 'catalog.subject_category', 'catalog.retention_days', 'catalog.retention_source', 'catalog.retention_note', ''].map((k) => h('th', {}, k ? t(k) : '')))),
      h('tbody', {}, c.retentionByCategory.map((r) => h('tr', {},
        h('td', {}, itemName(byId(c.purposes, r.purposeId))), h('td', {}, itemName(byId(c.subjectCategories, r.subjectCategoryId))),
        h('td', {}, String(r.days)), h('td', {}, r.source ? t(`retention.source.${r.source}`) : ''), h('td', {}, r.note),
        h('td', {}, h('button', { type: 'button', class: 'small', onclick: () => set(r, true) }, t('catalog.remove'))))),
      h('tr', {}, h('td', {}, purpose), h('td', {}, category), h('td', {}, days), h('td', {}, source), h('td', {}, note), h('td', {}, add, box.el)))));
}

function policies(list, reload) {
  const box = messageBox('policy-error');
  const version = h('input', { id: 'policy-version', 'aria-label': t('catalog.version') });
  const from = h('input', { id: 'policy-from', placeholder: 'ДД.ММ.ГГГГ', 'aria-label': t('catalog.effective_from') });
  const add = h('button', { type: 'button', id: 'policy-add' }, t('holding.add'));
  add.addEventListener('click', async () => {
    try { await api.addPolicyVersion(version.value, from.value); reload(); } catch (err) { box.show(issuesText(err)); }
  });
  return h('div', { class: 'card', id: 'catalog-policies' },
    h('h2', {}, t('catalog.policy.title')),
    h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, h('th', {}, t('catalog.version')), h('th', {}, t('catalog.effective_from')), h('th', {}))),
      h('tbody', {}, list.map(([, v, f]) => h('tr', {}, h('td', {}, v), h('td', { class: 'date' }, fmtDate(f)), h('td', {}))),
        h('tr', {}, h('td', {}, version), h('td', {}, from), h('td', {}, add, box.el)))));
}
