// The Subjects area: the registry list with search and filters, a subject's card, the suppression
// list, the paper consent forms, import and export.
import { consentForms } from '../sections/consent-forms.js';
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { itemName } from '../format.js';
import { virtualList } from '../widgets/virtual-list.js';
import { cardView } from '../sections/subject-card.js';
import { subjectForm } from '../sections/subject-form.js';
import { bulkPanel } from '../sections/bulk.js';
import { suppressionView } from '../sections/suppression.js';
import { importView } from '../sections/import.js';

const ROW_HEIGHT = 44;

/**
 * Keystroke-to-paint times of the search, read by the end-to-end benchmark: `{ total, answered }`
 * in ms from the keystroke to the list painted, and to the backend's page arriving.
 */
window.__derbesSearchTimings = window.__derbesSearchTimings || [];

export function subjectsView(app, place = null) {
  const body = h('div', { class: 'area-body' });
  const tabs = ['registry', 'forms', 'suppression', 'import'].map((tab) => h('button', {
    type: 'button', class: 'tab', id: `tab-${tab}`, role: 'tab',
    onclick: () => show(tab),
  }, t(`subjects.tab.${tab}`)));
  const root = h('section', { class: 'area wide', id: 'area-subjects' },
    h('div', { class: 'tabs', role: 'tablist' }, tabs), body);
  let catalogs = null;

  async function ensureCatalogs() {
    if (!catalogs) catalogs = await api.catalogs();
    return catalogs;
  }

  async function show(tab, arg) {
    for (const b of tabs) b.setAttribute('aria-selected', String(b.id === `tab-${tab}`));
    try {
      const cats = await ensureCatalogs();
      if (tab === 'registry') replace(body, listView(app, cats, { open: (id) => show('card', id), create: () => show('new') }));
      else if (tab === 'card') replace(body, cardView(app, cats, arg, { back: () => show('registry'), edit: (card) => show('edit', card), open: (id) => show('card', id) }));
      else if (tab === 'new') replace(body, subjectForm(app, null, { saved: (id) => show('card', id), cancel: () => show('registry'), open: (id) => show('card', id) }));
      else if (tab === 'edit') replace(body, subjectForm(app, arg, { saved: (id) => show('card', id), cancel: () => show('card', arg.id), open: (id) => show('card', id) }));
      else if (tab === 'suppression') replace(body, suppressionView(app, { open: (id) => show('card', id) }));
      else if (tab === 'forms') replace(body, consentForms(app, cats, { open: (id) => show('card', id) }));
      else if (tab === 'import') replace(body, importView(app, { catalogsChanged: () => { catalogs = null; } }));
    } catch (err) {
      app.handleError(err, body);
    }
  }
  if (place?.noBasis) listState.basis = 'none';
  if (place?.subject) show('card', place.subject);
  else show('registry');
  return root;
}

// Search text and filters survive opening a card and coming back.
const listState = { text: '', status: '', purposeId: '', consent: '', openRequest: '', basis: '', categoryId: '' };

function listView(app, cats, nav) {
  const count = h('span', { class: 'muted', id: 'subjects-count', 'aria-live': 'polite' }, t('subjects.loading'));
  const empty = h('p', { class: 'muted', id: 'subjects-empty', hidden: true }, t('subjects.empty'));
  const error = h('p', { class: 'message error', role: 'alert', hidden: true });
  let typedAt = 0;
  let answeredAt = 0;
  const timed = (offset, promise) => promise.then((page) => {
    if (offset === 0) answeredAt = performance.now();
    return page;
  });

  const list = virtualList({
    label: t('nav.subjects'),
    rowHeight: ROW_HEIGHT,
    fetch: (offset, limit) => timed(offset, api.searchSubjects({
      text: listState.text,
      status: listState.status || null,
      purposeId: listState.purposeId ? Number(listState.purposeId) : null,
      consent: listState.consent || null,
      openRequest: listState.openRequest === '' ? null : listState.openRequest === 'yes',
      noBasis: listState.basis === 'none',
      subjectCategoryId: listState.categoryId ? Number(listState.categoryId) : null,
      offset, limit,
    })),
    row: (r) => h('div', {
      class: `vrow status-${r.status}`, role: 'listitem', tabindex: '0', 'data-id': r.id,
      onclick: () => nav.open(r.id),
      onkeydown: (e) => { if (e.key === 'Enter') nav.open(r.id); },
    },
      h('span', { class: 'c-name' }, r.name),
      h('span', { class: 'c-iin mono' }, r.iin || r.docNumber || ''),
      h('span', { class: 'c-email' }, r.email || ''),
      h('span', { class: 'c-phone' }, r.phone || ''),
      h('span', { class: 'c-status' }, r.status === 'active' ? '' : t(`status.${r.status}`))),
    placeholder: () => h('div', { class: 'vrow placeholder' }, h('span', { class: 'c-name' }, '…')),
    onTotal: (n, capped) => {
      count.textContent = capped ? t('subjects.more', { n: n - 1 }) : t('subjects.count', { n });
      empty.hidden = n !== 0;
    },
    onPainted: () => {
      if (!typedAt) return;
      const started = typedAt;
      const answered = answeredAt - started;
      typedAt = 0;
      // A task queued from the next animation frame runs once that frame has been painted.
      requestAnimationFrame(() => setTimeout(() => {
        window.__derbesSearchTimings.push({ total: performance.now() - started, answered });
      }, 0));
    },
    onError: (err) => app.handleError(err, error),
  });

  const search = h('input', {
    id: 'subject-search', type: 'search', value: listState.text, autocomplete: 'off', spellcheck: 'false',
    placeholder: t('subjects.search'), 'aria-label': t('subjects.search'),
    title: `${t('subjects.search')} (Ctrl+F)`, 'aria-keyshortcuts': 'Control+F',
  });
  search.addEventListener('input', () => {
    typedAt = performance.now();
    listState.text = search.value;
    list.reset();
  });

  const select = (id, key, options) => {
    const el = h('select', { id }, options.map(([v, label]) => h('option', { value: v, selected: listState[key] === String(v) }, label)));
    el.addEventListener('change', () => { listState[key] = el.value; list.reset(); });
    return el;
  };
  const filters = h('div', { class: 'filters' },
    h('label', {}, h('span', {}, t('filter.status')), select('filter-status', 'status', [['', t('filter.any')], ...['active', 'blocked', 'anonymized', 'destroyed'].map((s) => [s, t(`status.${s}`)])])),
    h('label', {}, h('span', {}, t('filter.purpose')), select('filter-purpose', 'purposeId', [['', t('filter.any')], ...cats.purposes.map((p) => [String(p.id), itemName(p)])])),
    h('label', {}, h('span', {}, t('filter.consent')), select('filter-consent', 'consent', [['', t('filter.any')], ['active', t('filter.consent.active')], ['withdrawn', t('filter.consent.withdrawn')], ['without', t('filter.consent.without')]])),
    h('label', {}, h('span', {}, t('filter.request')), select('filter-request', 'openRequest', [['', t('filter.any')], ['yes', t('filter.request.open')], ['no', t('filter.request.none')]])),
    h('label', {}, h('span', {}, t('filter.basis')), select('filter-basis', 'basis', [['', t('filter.any')], ['none', t('filter.basis.none')]])),
    h('label', {}, h('span', {}, t('filter.subject_category')), select('filter-subject-category', 'categoryId', [['', t('filter.any')], ...(cats.subjectCategories || []).map((c) => [String(c.id), itemName(c)])])));

  const head = h('div', { class: 'vrow vhead', 'aria-hidden': 'true' },
    h('span', { class: 'c-name' }, t('col.name')), h('span', { class: 'c-iin' }, t('col.iin')),
    h('span', { class: 'c-email' }, t('col.email')), h('span', { class: 'c-phone' }, t('col.phone')),
    h('span', { class: 'c-status' }, t('col.status')));

  // A change for everyone the list shows, with its search and filters as they are now.
  const bulkHolder = h('div', { id: 'bulk-holder' });
  const currentQuery = () => ({
    text: listState.text,
    status: listState.status || null,
    purposeId: listState.purposeId ? Number(listState.purposeId) : null,
    consent: listState.consent || null,
    openRequest: listState.openRequest === '' ? null : listState.openRequest === 'yes',
    noBasis: listState.basis === 'none',
    subjectCategoryId: listState.categoryId ? Number(listState.categoryId) : null,
  });
  const bulkOpen = h('button', { type: 'button', id: 'bulk-open', onclick: () => {
    if (bulkHolder.firstChild) replace(bulkHolder);
    else replace(bulkHolder, bulkPanel(cats, currentQuery, () => list.reset()));
  } }, t('bulk.open'));
  const root = h('div', { class: 'subjects-list' },
    h('div', { class: 'toolbar' }, search,
      h('button', { type: 'button', class: 'primary', id: 'new-subject', onclick: nav.create }, t('subjects.new')), bulkOpen),
    filters, bulkHolder, h('div', { class: 'list-meta' }, count), error, head, list.root, empty);
  list.reset();
  setTimeout(() => search.focus(), 0);
  return root;
}
