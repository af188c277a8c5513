// The Requests area: the list by urgency, a request with its workflow, registering a new one (typed
// or from e-mail), and the period report. Overdue ones come first.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import { vocab } from '../vocab.js';
import * as api from '../api.js';
import { fmtDate, itemName, byId, todayText } from '../format.js';
import { messageBox } from '../widgets/common.js';
import { standingChip } from '../widgets/standing.js';
import { requestForm, mailIntake } from '../sections/request-form.js';
import { reportView } from '../sections/report.js';
import { journalImport } from '../sections/request-journal.js';
import { subjectForm } from '../sections/subject-form.js';
import { letterEditor, letterActions } from '../sections/letter-editor.js';
import { blockingSection, repText } from '../sections/subject-card.js';
import { erasureSection } from '../sections/erasure.js';

const VIEWS = ['overdue', 'today', 'week', 'open', 'new', 'done', 'all'];
const PAGE = 100;

/** `place`: 'list' (default) or `{ request: id }`. */
export function requestsView(app, place = null) {
  const tabs = ['list', 'new', 'mail', 'report'].map((tab) => h('button', {
    type: 'button', class: 'tab', id: `rtab-${tab}`, role: 'tab', onclick: () => show(tab),
    title: tab === 'new' ? `${t('req.tab.new')} (Ctrl+N)` : false, 'aria-keyshortcuts': tab === 'new' ? 'Control+N' : false,
  }, t(`req.tab.${tab}`)));
  const body = h('div', { class: 'area-body' });
  const root = h('section', { class: 'area wide', id: 'area-requests' },
    h('div', { class: 'tabs', role: 'tablist' }, tabs), body);
  const nav = { open: (id) => show('detail', id), list: () => show('list') };

  function show(tab, arg) {
    for (const b of tabs) b.setAttribute('aria-selected', String(b.id === `rtab-${tab}`));
    if (tab === 'list') replace(body, listView(app, nav));
    else if (tab === 'new') replace(body, requestForm(app, null, nav));
    else if (tab === 'mail') replace(body, mailIntake(app, nav));
    else if (tab === 'report') replace(body, reportView(app));
    else if (tab === 'detail') replace(body, detailView(app, arg, nav));
  }
  if (place?.view) listState.view = place.view;
  if (place?.request) show('detail', place.request);
  else show('list');
  return root;
}

// The chosen view survives opening a request and coming back.
const listState = { view: 'open', kind: '', text: '', from: '', to: '' };

function listView(app, nav) {
  const count = h('span', { class: 'muted', id: 'requests-count' });
  const exportBox = messageBox('requests-export-message', 'notice');
  const table = h('div', { id: 'requests-table' });
  const more = h('button', { type: 'button', id: 'requests-more', hidden: true }, '…');
  let offset = 0;
  let rows = [];

  const viewSelect = h('select', { id: 'requests-view', 'aria-label': t('req.col.status') },
    VIEWS.map((v) => h('option', { value: v, selected: v === listState.view }, t(`req.view.${v}`))));
  const kindSelect = h('select', { id: 'requests-kind', 'aria-label': t('req.col.kind') },
    h('option', { value: '' }, t('filter.any')),
    vocab.requestKinds.map((k) => h('option', { value: k, selected: k === listState.kind }, t(`kind.${k}`))));
  viewSelect.addEventListener('change', () => { listState.view = viewSelect.value; load(true); });
  kindSelect.addEventListener('change', () => { listState.kind = kindSelect.value; load(true); });
  // Search as you type: by who wrote (name, IIN, e-mail), a number in or out, the text, and the
  // received dates; while it holds anything, the list is its results, the latest first.
  const searchInput = h('input', { type: 'search', id: 'requests-search', value: listState.text,
    placeholder: t('req.search.placeholder'), 'aria-label': t('req.search.placeholder') });
  const fromInput = h('input', { id: 'requests-from', class: 'date-input', value: listState.from, placeholder: 'ДД.ММ.ГГГГ', 'aria-label': t('req.search.from') });
  const toInput = h('input', { id: 'requests-to', class: 'date-input', value: listState.to, placeholder: 'ДД.ММ.ГГГГ', 'aria-label': t('req.search.to') });
  let typing = null;
  for (const input of [searchInput, fromInput, toInput]) {
    input.addEventListener('input', () => {
      listState.text = searchInput.value; listState.from = fromInput.value; listState.to = toInput.value;
      clearTimeout(typing);
      typing = setTimeout(() => load(true), 120);
    });
  }
  const searching = () => Boolean(listState.text.trim() || listState.from.trim() || listState.to.trim());
  more.addEventListener('click', () => load(false));

  function render() {
    if (!rows.length) {
      replace(table, h('p', { class: 'muted', id: 'requests-empty' }, t('req.empty')));
      return;
    }
    replace(table, h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, [t('req.col.due'), t('req.col.kind'), t('req.col.who'), t('req.col.received'),
        t('req.col.status'), t('req.col.ref')].map((x) => h('th', {}, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {
        class: `clickable req-${r.standing?.kind || 'done'}`, 'data-id': r.id, tabindex: '0',
        onclick: () => nav.open(r.id), onkeydown: (e) => { if (e.key === 'Enter') nav.open(r.id); },
      },
        h('td', {}, h('div', {}, fmtDate(r.extendedTo || r.dueOn)), standingChip(r.standing)),
        h('td', {}, t(`kind.${r.kind}`)),
        h('td', {}, r.who),
        h('td', { class: 'date' }, fmtDate(r.receivedOn)),
        h('td', {}, t(`rstatus.${r.status}`)),
        h('td', { class: 'mono' }, r.incomingRef))))));
  }

  let generation = 0;
  async function load(reset) {
    if (reset) { offset = 0; rows = []; generation += 1; }
    const gen = generation;
    try {
      const page = searching()
        ? await api.requestSearch({ text: listState.text, from: listState.from, to: listState.to, offset, limit: PAGE })
        : await api.requestList(listState.view, listState.kind || null, offset, PAGE);
      if (gen !== generation) return; // a newer choice of view answered first
      viewSelect.disabled = kindSelect.disabled = searching();
      rows = rows.concat(page.rows);
      offset += page.rows.length;
      count.textContent = t('req.count', { n: page.total });
      more.hidden = rows.length >= page.total;
      render();
    } catch (err) {
      if (gen !== generation) return;
      // A date still being typed: say which, keep the rows shown.
      if (err.code === 'invalid') count.textContent = (err.issues || []).map((i) => `${t(`req.search.${i.field}`)}: ${t(`issue.${i.code}`)}`).join(' ');
      else app.handleError(err, table);
    }
  }
  load(true);
  const importHolder = h('div', { id: 'journal-import-holder' });
  const importOpen = h('button', { type: 'button', id: 'requests-import', onclick: () => {
    if (importHolder.firstChild) replace(importHolder);
    else replace(importHolder, journalImport(() => load(true)));
  } }, t('journal.open'));
  return h('div', { class: 'requests-list' },
    h('div', { class: 'toolbar' }, viewSelect, kindSelect, searchInput, fromInput, toInput,
      h('button', { type: 'button', class: 'primary', id: 'new-request', title: `${t('req.tab.new')} (Ctrl+N)`, 'aria-keyshortcuts': 'Control+N', onclick: () => document.getElementById('rtab-new')?.click() }, t('req.tab.new')),
      h('button', { type: 'button', id: 'requests-export', onclick: async () => {
        try {
          const n = await api.requestsExport(t('dialog.requests'));
          if (n !== null && n !== undefined) exportBox.show(t('export.rows', { n }));
        } catch (err) { exportBox.show(errorText(err)); }
      } }, t('req.export')), importOpen),
    exportBox.el, importHolder,
    h('div', { class: 'list-meta' }, count), table, more);
}

function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function detailView(app, id, nav) {
  const root = h('div', { class: 'request-detail', id: 'request-detail' }, h('p', { class: 'muted' }, t('subjects.loading')));
  // `flash`: a notice to show after the redraw (what the last action did).
  const reload = (flash = '') => api.requestGet(id).then((r) => replace(root, renderDetail(app, r, nav, reload, flash)))
    .catch((err) => app.handleError(err, root));
  reload();
  return root;
}

/** A step with a small inline form: fields, then "Record". */
function stepForm(id, label, fields, run) {
  const box = messageBox(`step-${id}-error`);
  const form = h('form', { class: 'step-form', id: `step-${id}`, hidden: true },
    fields.map((f) => f.row), h('button', { type: 'submit', class: 'primary', id: `step-${id}-do` }, t('req.step.do')), box.el);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.show('');
    try {
      await run();
    } catch (err) {
      if (err.code === 'invalid') box.show((err.issues || []).map((i) => t(`issue.${i.code}`)).join(' '));
      else box.show(errorText(err));
    }
  });
  const button = h('button', { type: 'button', id: `step-${id}-open`, onclick: () => { form.hidden = !form.hidden; } }, label);
  return { button, form };
}

function field(id, label, input) {
  input.id = id;
  return { input, row: h('label', { class: 'field', for: id }, h('span', {}, label), input) };
}

function renderDetail(app, r, nav, reload, flash) {
  const open = r.status === 'new' || r.status === 'in_progress';
  const message = messageBox('request-message', flash ? 'notice' : 'error');
  message.show(flash);
  const step = async (s) => { await api.requestStep(r.id, s); await reload(); };

  const steps = [];
  if (r.status === 'new') {
    steps.push({ button: h('button', { type: 'button', class: 'primary', id: 'step-start-do', onclick: () => step({ action: 'start' }).catch((e) => message.show(errorText(e))) }, t('req.step.start')), form: null });
  }
  if (open) {
    const answerDate = field('answer-date', t('req.step.date'), h('input', { value: todayText() }));
    steps.push(stepForm('answer', t('req.step.answer'), [answerDate], () => step({ action: 'answer', date: answerDate.input.value })));
    const refuseDate = field('refuse-date', t('req.step.date'), h('input', { value: todayText() }));
    const refuseReason = field('refuse-reason', t('req.refusal_reason'), h('textarea', { rows: '2' }));
    steps.push(stepForm('refuse', t('req.step.refuse'), [refuseDate, refuseReason], () => step({ action: 'refuse', date: refuseDate.input.value, text: refuseReason.input.value })));
    const idMethod = field('identity-method', t('req.identity'), h('select', {},
      vocab.identityMethods.map((m) => h('option', { value: m }, t(`identity.${m}`)))));
    const idDate = field('identity-date', t('req.step.date'), h('input', { value: todayText() }));
    steps.push(stepForm('identity', t('req.step.identity'), [idMethod, idDate], () => step({ action: 'identity', method: idMethod.input.value, date: idDate.input.value })));
    const waiting = r.pauses.some((p) => !p.untilOn);
    if (waiting) {
      const resumeDate = field('resume-date', t('req.step.date'), h('input', { value: todayText() }));
      steps.push(stepForm('resume', t('req.step.resume'), [resumeDate], () => step({ action: 'resume', date: resumeDate.input.value })));
    } else {
      const pauseReason = field('pause-reason', t('req.step.reason'), h('select', {},
        vocab.pauseReasons.map((p) => h('option', { value: p }, t(`pause.${p}`)))));
      const pauseDate = field('pause-date', t('req.step.date'), h('input', { value: todayText() }));
      steps.push(stepForm('pause', t('req.step.pause'), [pauseReason, pauseDate], () => step({ action: 'pause', reason: pauseReason.input.value, date: pauseDate.input.value })));
    }
    const extDate = field('extend-date', t('req.extended_to'), h('input', { placeholder: 'ДД.ММ.ГГГГ' }));
    const extReason = field('extend-reason', t('req.step.reason'), h('textarea', { rows: '2' }));
    steps.push(stepForm('extend', t('req.step.extend'), [extDate, extReason], () => step({ action: 'extend', date: extDate.input.value, text: extReason.input.value })));
  }
  if (open) {
    const reason = field('cancel-reason', t('req.step.reason'), h('select', {},
      vocab.cancelReasons.map((c) => h('option', { value: c }, t(`cancel.${c}`)))));
    const note = field('cancel-note', t('req.cancel.note'), h('textarea', { rows: '2' }));
    const cancel = stepForm('cancel', t('req.step.cancel'), [reason, note], () => step({ action: 'cancel', reason: reason.input.value, text: note.input.value }));
    cancel.form.prepend(h('p', { class: 'hint' }, t('req.cancel.hint')));
    steps.push(cancel);
  }
  if (r.status !== 'cancelled') steps.push(editForm(r, reload));
  if (r.status === 'answered' || r.status === 'refused') {
    steps.push({ button: h('button', { type: 'button', id: 'step-close-do', onclick: () => step({ action: 'close' }).catch((e) => message.show(errorText(e))) }, t('req.step.close')), form: null });
  }

  const due = h('div', { class: 'due-box', id: 'request-due' },
    h('div', {}, h('span', { class: 'muted' }, `${t('req.legal_due')}: `), h('strong', {}, fmtDate(r.dueOn))),
    r.extendedTo ? h('div', {}, h('span', { class: 'muted' }, `${t('req.extended_to')}: `), h('strong', {}, fmtDate(r.extendedTo)),
      r.extensionReason ? h('span', { class: 'muted' }, ` — ${r.extensionReason}`) : null) : null,
    standingChip(r.standing));

  const pauses = r.pauses.length ? h('div', { id: 'request-pauses' }, h('h3', {}, t('req.pauses')),
    h('ul', {}, r.pauses.map((p) => h('li', {}, p.untilOn
      ? t('req.pause.range', { reason: t(`pause.${p.reason}`), from: fmtDate(p.fromOn), until: fmtDate(p.untilOn) })
      : t('req.pause.since', { reason: t(`pause.${p.reason}`), from: fmtDate(p.fromOn) })))),
    h('p', { class: 'muted small' }, t('req.pause.note'))) : null;

  const facts = dl([
    [t('req.col.who'), r.who],
    [t('req.field.sender'), r.sender],
    [t('rep.wrote_for'), r.representative.name ? repText(r.representative) : ''],
    [t('req.field.channel'), t(`channel.${r.channel}`)],
    [t('req.col.received'), fmtDate(r.receivedOn)],
    [t('req.field.incoming_ref'), r.incomingRef],
    [t('req.col.status'), t(`rstatus.${r.status}`)],
    [t('req.answered_on'), fmtDate(r.answeredOn)],
    [t('req.refusal_reason'), r.refusalReason],
    [t('req.closed_on'), fmtDate(r.closedOn)],
    [t('req.cancelled_on'), r.cancelledOn ? `${fmtDate(r.cancelledOn)} — ${t(`cancel.${r.cancelReason}`)}${r.cancelNote ? `: ${r.cancelNote}` : ''}` : ''],
    [t('req.identity'), r.identityMethod ? `${t(`identity.${r.identityMethod}`)}, ${fmtDate(r.identityCheckedOn)}` : t('req.identity.none')],
  ]);
  const linked = r.linkedTo ? h('p', {}, h('button', { type: 'button', class: 'link', id: 'request-linked', onclick: () => nav.open(r.linkedTo) },
    t('req.linked', { id: r.linkedTo }))) : null;
  const text = r.body ? h('pre', { class: 'message-text', id: 'request-body' }, r.body) : null;

  const revisions = r.revisions.length ? h('section', { class: 'card-section', id: 'request-revisions' }, h('h3', {}, t('req.revisions')),
    h('ul', {}, r.revisions.map((v) => h('li', { 'data-field': v.field }, t('req.revision.line', {
      at: v.changedAt.replace('T', ' ').slice(0, 16), field: t(`reqfield.${v.field}`),
      before: v.field.endsWith('_on') ? fmtDate(v.before) : (v.field === 'kind' ? t(`kind.${v.before}`) : v.before.slice(0, 120)),
      after: v.field.endsWith('_on') ? fmtDate(v.after) : (v.field === 'kind' ? t(`kind.${v.after}`) : v.after.slice(0, 120)),
    }))))) : null;
  const history = h('section', { class: 'card-section', id: 'request-history' }, h('h3', {}, t('req.history')),
    h('table', { class: 'grid' }, h('tbody', {}, r.history.map((e) => h('tr', {},
      h('td', { class: 'mono small' }, e.at.replace('T', ' ').slice(0, 16)),
      h('td', {}, t(`action.${e.action}`) !== `action.${e.action}` ? t(`action.${e.action}`) : e.action),
      h('td', { class: 'muted' }, e.action === 'letter.issued' ? t(`doc.${e.detail}`) : e.detail), h('td', { class: 'muted' }, e.osUser))))));

  return h('div', {},
    h('div', { class: 'card-head' },
      h('button', { type: 'button', class: 'link', id: 'request-back', onclick: nav.list }, t('req.back')),
      h('h1', { id: 'request-title' }, `${t('req.title', { id: r.id })}: ${t(`kind.${r.kind}`)}`),
      h('span', { class: 'chip', id: 'request-status' }, t(`rstatus.${r.status}`))),
    due, message.el,
    steps.length ? h('div', { class: 'toolbar steps' }, steps.map((s) => s.button)) : null,
    steps.map((s) => s.form).filter(Boolean),
    h('div', { class: 'card-columns' },
      h('div', {}, facts, linked, pauses, attachSection(app, r, reload), actionsSection(app, r, reload)),
      h('div', {}, text)),
    documentsSection(app, r, nav),
    revisions, history);
}

/** Correcting what was typed: every field, the old values kept, the due date computed again. */
function editForm(r, reload) {
  const received = field('edit-received', t('req.col.received'), h('input', { value: fmtDate(r.receivedOn) }));
  const kind = field('edit-kind', t('req.col.kind'), h('select', {},
    vocab.requestKinds.map((k) => h('option', { value: k, selected: k === r.kind }, t(`kind.${k}`)))));
  const channel = field('edit-channel', t('req.field.channel'), h('select', {},
    vocab.requestChannels.map((c) => h('option', { value: c, selected: c === r.channel }, t(`channel.${c}`)))));
  const requester = field('edit-requester', t('reqfield.requester'), h('input', { value: r.requester }));
  const sender = field('edit-sender', t('req.field.sender'), h('input', { value: r.sender, type: 'email' }));
  const ref = field('edit-ref', t('req.field.incoming_ref'), h('input', { value: r.incomingRef }));
  const body = field('edit-body', t('reqfield.body'), h('textarea', { rows: '4' }));
  body.input.value = r.body;
  const form = stepForm('edit', t('req.step.edit'), [received, kind, channel, requester, sender, ref, body], async () => {
    const changed = await api.requestEdit(r.id, {
      receivedOn: received.input.value, kind: kind.input.value, channel: channel.input.value,
      requester: requester.input.value, sender: sender.input.value, incomingRef: ref.input.value, body: body.input.value,
    });
    await reload(changed.length ? t('req.edit.saved', { fields: changed.map((f) => t(`reqfield.${f}`)).join(', ') }) : t('req.edit.nothing'));
  });
  form.form.prepend(h('p', { class: 'hint' }, t('req.edit.hint')));
  return form;
}

/** A request from someone not registered: attach it to their record, found here, or register
 *  them from it (name and address carried over). */
function attachSection(app, r, reload) {
  if (r.subjectId) return null;
  const box = messageBox('request-attach-message', 'notice');
  const results = h('ul', { id: 'request-attach-results', class: 'pick-list' });
  const holder = h('div', { id: 'request-attach-form' });
  const query = h('input', { type: 'search', id: 'request-attach-search', placeholder: t('req.attach.search'), 'aria-label': t('req.attach.search') });
  let typing = null;
  let generation = 0;
  query.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(async () => {
      const gen = ++generation;
      if (!query.value.trim()) { replace(results); return; }
      try {
        const page = await api.searchSubjects({ text: query.value, limit: 8 });
        if (gen !== generation) return;
        replace(results, page.rows.length ? page.rows.map((s) => h('li', { 'data-subject': s.id },
          `${s.name}${s.iin ? ` · ${s.iin}` : ''}${s.email ? ` · ${s.email}` : ''} `,
          h('button', { type: 'button', class: 'small', id: `request-attach-${s.id}`, onclick: async () => {
            try {
              await api.requestAttach(r.id, s.id);
              await reload(t('req.attach.done'));
            } catch (err) { box.show(errorText(err)); }
          } }, t('req.attach.do')))) : h('li', { class: 'muted' }, t('req.attach.none')));
      } catch (err) { box.show(errorText(err)); }
    }, 120);
  });
  const create = h('button', { type: 'button', id: 'request-new-subject', onclick: async () => {
    try {
      const prefill = await api.requestSubjectDraft(r.id);
      replace(holder, subjectForm(app, null, {
        prefill,
        create: (subject) => api.requestCreateSubject(r.id, subject),
        saved: () => reload(t('req.attach.done')),
        cancel: () => replace(holder),
        open: (id) => app.openSubject?.(id),
      }));
    } catch (err) { box.show(errorText(err)); }
  } }, t('req.attach.new_subject'));
  return h('section', { class: 'card-section', id: 'request-attach' }, h('h3', {}, t('req.attach.title')),
    h('p', { class: 'hint' }, t('req.attach.hint')),
    h('div', { class: 'toolbar' }, query, create), results, box.el, holder);
}

/** What the request asks for, carried out from here and journaled with its id. */
function actionsSection(app, r, reload) {
  const open = r.status === 'new' || r.status === 'in_progress';
  // A refusal of marketing needs nobody in the registry (policy 6.2): an unknown sender's address
  // goes on the stop-list from the request. Every other action is on a registered subject.
  if (!r.subjectId && !(open && r.kind === 'refuse-marketing')) return null;
  const box = messageBox('request-action-message', 'notice');
  const items = [];
  const on = todayText();
  const channel = vocab.withdrawalChannels.includes(r.channel) ? r.channel : 'other';
  const holder = h('div', { id: 'request-action-form' });
  if (open && r.kind === 'refuse-marketing') {
    items.push(h('button', { type: 'button', id: 'action-refuse-marketing', onclick: async () => {
      try {
        const done = await api.refuseFromRequest(r.id);
        await reload(t(done.outcome === 'subject' ? 'req.action.refused' : `req.action.${done.outcome}`));
      } catch (err) { box.show(errorText(err)); }
    } }, t(r.subjectId ? 'req.action.refuse' : 'req.action.refuse_sender')));
  }
  if (!r.subjectId) {
    return h('section', { class: 'card-section', id: 'request-actions' }, h('h3', {}, t('req.actions')),
      h('p', { class: 'hint' }, t('req.action.sender_hint')),
      h('div', { class: 'toolbar' }, items), box.el);
  }
  if (open && r.kind === 'withdraw-consent') {
    items.push(h('button', { type: 'button', id: 'action-withdraw', onclick: async () => {
      try {
        const [card, cats] = await Promise.all([api.subjectCard(r.subjectId), api.catalogs()]);
        const active = card.consents.filter((c) => c.state === 'active');
        replace(holder, active.length ? h('ul', {}, active.map((c) => h('li', {},
          `${itemName(byId(cats.purposes, c.purposeId))}, ${fmtDate(c.grantedAt)} `,
          h('button', { type: 'button', class: 'small', 'data-consent': c.id, onclick: async () => {
            try {
              await api.withdrawConsent(c.id, on, channel, r.id);
              await reload(t('req.action.withdrawn'));
            } catch (err) { box.show(errorText(err)); }
          } }, t('consent.withdraw'))))) : h('p', { class: 'muted' }, t('req.action.no_consents')));
      } catch (err) { box.show(errorText(err)); }
    } }, t('req.action.withdraw')));
  }
  if (open && r.kind === 'update') {
    items.push(h('button', { type: 'button', id: 'action-update', onclick: async () => {
      try {
        const card = await api.subjectCard(r.subjectId);
        replace(holder, subjectForm(app, card, {
          requestId: r.id,
          saved: () => reload(t('req.action.saved')),
          cancel: () => replace(holder),
          open: () => {},
        }));
      } catch (err) { box.show(errorText(err)); }
    } }, t('req.action.edit')));
  }
  if (open && ['block', 'unblock', 'stop-processing'].includes(r.kind)) {
    items.push(h('button', { type: 'button', id: 'action-blocking', onclick: async () => {
      try {
        const card = await api.subjectCard(r.subjectId);
        replace(holder, blockingSection(card, r.id, () => reload(t('req.action.saved'))) ?? h('p', { class: 'muted' }, t(`status.${card.status}`)));
      } catch (err) { box.show(errorText(err)); }
    } }, t(r.kind === 'unblock' ? 'unblock.do' : 'block.do')));
  }
  if (open && r.subjectId && ['destroy', 'stop-processing', 'withdraw-consent'].includes(r.kind)) {
    // Carried out for this request: the request is the basis printed in the act.
    items.push(h('button', { type: 'button', id: 'action-erase', onclick: async () => {
      try {
        const card = await api.subjectCard(r.subjectId);
        replace(holder, erasureSection(app, card, r.id, () => reload(t('req.action.saved'))) ?? h('p', { class: 'muted' }, t(`status.${card.status}`)));
      } catch (err) { box.show(errorText(err)); }
    } }, t('erase.title')));
  }
  items.push(h('button', { type: 'button', class: 'link', id: 'action-open-subject', onclick: () => app.openSubject?.(r.subjectId) }, t('req.open_subject')));
  return h('section', { class: 'card-section', id: 'request-actions' }, h('h3', {}, t('req.actions')),
    h('div', { class: 'toolbar' }, items), box.el, holder);
}

/** The letters issued for this request, and preparing a new one (the usual kind first). */
function documentsSection(app, r, nav) {
  const box = messageBox('request-docs-message', 'notice');
  const list = h('ul', { class: 'doc-list', id: 'request-docs' });
  const section = h('section', { class: 'card-section', id: 'request-documents' }, h('h3', {}, t('req.documents')));
  api.letterList({ requestId: r.id, limit: 50 }).then((page) => {
    replace(list, page.rows.length ? page.rows.map((row) => h('li', { 'data-number': row.number },
      h('strong', { class: 'mono' }, row.number), ` · ${fmtDate(row.issuedOn)} · ${t(`doc.${row.kind}`)} `,
      letterActions(app, row, box))) : h('li', { class: 'muted' }, t('req.documents.none')));
  }).catch((err) => box.show(errorText(err)));
  // Only the documents whose content the vault bears out are offered; the others say why not.
  api.letterKinds(r.id).then((offers) => {
    if (!offers.length) return;
    const kinds = offers.filter((o) => !o.why).map((o) => o.kind);
    const prepare = kinds.map((k, i) => h('button', { type: 'button', class: i === 0 ? 'primary' : '', 'data-doc': k, id: `doc-prepare-${k}`,
      onclick: () => replace(section.parentElement, letterEditor(app, { kind: k, requestId: r.id }, { kinds, cancel: () => nav.open(r.id) })) },
    t('req.documents.prepare', { doc: t(`doc.${k}`) })));
    const why = offers.filter((o) => o.why).map((o) => h('li', { 'data-doc': o.kind, id: `doc-why-${o.kind}` },
      t('req.documents.unavailable', { doc: t(`doc.${o.kind}`), why: t(`error.${o.why}`) })));
    section.append(h('div', { class: 'toolbar' }, prepare), why.length ? h('ul', { class: 'hint', id: 'request-docs-unavailable' }, why) : null);
  }).catch((err) => box.show(errorText(err)));
  section.append(list, box.el);
  return section;
}
