// Registering a request: typed by the user, or pre-filled from an e-mail message (.eml files or
// pasted text). A likely duplicate is flagged before saving, and the user links or keeps it.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate, todayText } from '../format.js';
import { messageBox } from '../widgets/common.js';
import { vocab } from '../vocab.js';
import { mailFolders } from './mail-folders.js';

/** A search box over the registry that picks one subject (or none). */
export function subjectPicker(prefix, initial, onChange) {
  let chosen = initial ? { ...initial } : null;
  const input = h('input', { id: `${prefix}-subject-search`, type: 'search', autocomplete: 'off', placeholder: t('req.field.subject.search') });
  const results = h('div', { class: 'picker-results', id: `${prefix}-subject-results` });
  const current = h('div', { class: 'picker-current', id: `${prefix}-subject-current` });
  function show() {
    replace(current, chosen
      ? [h('strong', {}, chosen.name), ' ', h('button', { type: 'button', class: 'link small', onclick: () => { chosen = null; show(); onChange(null); } }, '✕')]
      : h('span', { class: 'muted' }, t('req.field.subject.none')));
  }
  let seq = 0;
  input.addEventListener('input', async () => {
    const mine = ++seq;
    const text = input.value.trim();
    if (text.length < 2) { replace(results); return; }
    try {
      const page = await api.searchSubjects({ text, offset: 0, limit: 8 });
      if (mine !== seq) return;
      replace(results, page.rows.map((r) => h('button', {
        type: 'button', class: 'picker-item', 'data-id': r.id,
        // The chosen button disappears with the results: the cursor goes back to the search box,
        // so Tab goes on to the next field.
        onclick: () => { chosen = { id: r.id, name: r.name }; replace(results); input.value = ''; show(); onChange(chosen); input.focus(); },
      }, r.name, h('span', { class: 'muted small' }, ` ${r.iin || r.docNumber || ''} ${r.email || ''}`))));
    } catch (err) {
      replace(results, h('p', { class: 'message error' }, errorText(err)));
    }
  });
  show();
  return {
    row: h('div', { class: 'field f-subject' }, h('span', {}, t('req.field.subject')), current, input, results),
    get: () => chosen?.id ?? null,
  };
}

/**
 * The request form. `draft`: values to start from (from an e-mail), or null. `nav.open(id)` shows
 * the registered request; `onSaved(id)` replaces it when given.
 */
export function requestForm(app, draft, nav, onSaved = null) {
  const d = draft || {};
  const prefix = d.prefix || 'request';
  const inputs = {};
  const errors = {};
  const field = (name, el, extra = null) => {
    el.id = `${prefix}-${name}`;
    inputs[name] = el;
    errors[name] = h('span', { class: 'field-error', id: `${prefix}-err-${name}`, role: 'alert' });
    return h('label', { class: `field f-${name}`, for: el.id }, h('span', {}, t(`req.field.${name}`)), el, extra, errors[name]);
  };
  const kind = h('select', {}, vocab.requestKinds.map((k) => h('option', { value: k, selected: k === (d.kind || 'access') }, t(`kind.${k}`))));
  const channel = h('select', {}, vocab.requestChannels.map((c) => h('option', { value: c, selected: c === (d.channel || 'paper') }, t(`channel.${c}`))));
  const received = h('input', { value: d.receivedOn ? fmtDate(d.receivedOn) : (d.noDate ? '' : todayText()), placeholder: 'ДД.ММ.ГГГГ' });
  const requester = h('input', { value: d.requester || '' });
  const sender = h('input', { type: 'email', value: d.sender || '' });
  const ref = h('input', { value: '' });
  const body = h('textarea', { rows: '6' });
  body.value = d.body || '';
  // Written for the person by a representative (policy 3.2): a parent, a guardian, an attorney.
  const repName = h('input', {});
  const repRelation = h('select', {}, h('option', { value: '' }, '—'),
    vocab.representativeRelations.map((x) => h('option', { value: x }, t(`relation.${x}`))));
  const repDocument = h('input', {});
  const repDate = h('input', { placeholder: 'ДД.ММ.ГГГГ' });
  const dupBox = h('div', { class: 'message notice', id: `${prefix}-duplicates`, hidden: true });
  let linkTo = null;
  const picker = subjectPicker(prefix, d.subjectId ? { id: d.subjectId, name: d.subjectName || `#${d.subjectId}` } : null, () => checkDuplicates());
  if (d.duplicates?.length) showDuplicates(d.duplicates);

  function showDuplicates(ids) {
    linkTo = null;
    if (!ids.length) { dupBox.hidden = true; return; }
    const choices = ids.map((id) => h('label', { class: 'check' },
      h('input', { type: 'radio', name: `${prefix}-dup`, value: String(id), onchange: () => { linkTo = id; } }),
      h('span', {}, t('req.link', { id }))));
    const keep = h('label', { class: 'check' },
      h('input', { type: 'radio', name: `${prefix}-dup`, value: '', checked: true, onchange: () => { linkTo = null; } }),
      h('span', {}, t('req.keep')));
    replace(dupBox, h('p', {}, t('req.duplicates')), choices, keep,
      ids.map((id) => h('button', { type: 'button', class: 'link small', onclick: () => nav.open(id) }, `→ №${id}`)));
    dupBox.hidden = false;
  }
  async function checkDuplicates() {
    const subjectId = picker.get();
    if (!subjectId) { showDuplicates([]); return; }
    try {
      showDuplicates(await api.requestDuplicates(subjectId, kind.value));
    } catch (err) {
      dupBox.hidden = false;
      dupBox.textContent = errorText(err);
    }
  }
  kind.addEventListener('change', checkDuplicates);

  const message = messageBox(`${prefix}-error`);
  const submit = h('button', { type: 'submit', class: 'primary', id: `${prefix}-submit` }, t('req.create'));
  const form = h('form', { class: 'card request-form', id: `${prefix}-form`, novalidate: true },
    d.heading || h('h2', {}, t('req.tab.new')),
    h('div', { class: 'form-grid' },
      picker.row,
      field('requester', requester),
      field('sender', sender),
      field('kind', kind),
      field('channel', channel),
      field('received_on', received),
      field('incoming_ref', ref),
      field('body', body)),
    h('details', { class: 'rep', id: `${prefix}-rep` }, h('summary', {}, t('rep.legend')),
      h('div', { class: 'form-grid' },
        field('representative_name', repName),
        field('representative_relation', repRelation),
        field('representative_document', repDocument),
        field('representative_document_date', repDate))),
    dupBox, message.el,
    h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const el of Object.values(errors)) el.textContent = '';
    message.show('');
    submit.disabled = true;
    try {
      const id = await api.requestCreate({
        subjectId: picker.get(), requester: requester.value, sender: sender.value, kind: kind.value,
        channel: channel.value, receivedOn: received.value, incomingRef: ref.value, body: body.value,
        linkedTo: linkTo,
        representative: { name: repName.value, relation: repRelation.value || null, document: repDocument.value, documentDate: repDate.value },
        messageKey: d.messageKey || null, messageId: d.messageId || null, senderRaw: d.senderRaw || '', intakeNote: d.intakeNote || '',
      });
      if (onSaved) onSaved(id);
      else nav.open(id);
    } catch (err) {
      if (err.code === 'invalid') {
        for (const issue of err.issues || []) {
          if (errors[issue.field]) errors[issue.field].textContent = t(`issue.${issue.code}`);
        }
        message.show(t('form.has_errors'));
      } else {
        message.show(errorText(err));
      }
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** Requests from e-mail: open .eml files or paste a message; each becomes a pre-filled form. */
export function mailIntake(app, nav) {
  const drafts = h('div', { id: 'mail-drafts' });
  const message = messageBox('mail-error');
  const paste = h('textarea', { id: 'mail-paste', rows: '8', spellcheck: 'false' });
  let n = 0;

  function add(d, after = null) {
    n += 1;
    const prefix = `mail-${n}`;
    if (d.error) {
      drafts.append(h('p', { class: 'message error', id: `${prefix}-failed` },
        t('req.mail.failed', { file: d.file || t('req.mail.paste'), error: errorText(d.error) })));
      return;
    }
    const notes = h('ul', { class: 'draft-notes', id: `${prefix}-notes` },
      h('li', {}, d.recognised ? t('req.mail.recognised', { kind: t(`kind.${d.kind}`) }) : t('req.mail.unrecognised')),
      h('li', {}, d.subjectId ? t('req.mail.matched', { name: d.subjectName || `#${d.subjectId}` }) : t('req.mail.unmatched')),
      d.receivedOn ? null : h('li', {}, t(d.dateIgnored ? 'req.mail.date_ignored' : 'req.mail.no_date')),
      d.senderRaw || !d.sender ? h('li', { id: `${prefix}-sender-raw` }, t('req.mail.sender_unknown'), ' ', h('code', {}, d.senderRaw || '—')) : null);
    if (d.already) {
      // The same message was registered before: not offered again.
      drafts.append(h('p', { class: 'message notice', id: `${prefix}-already` },
        t('req.mail.already', { file: d.file || t('req.mail.paste'), id: d.already }), ' ',
        h('button', { type: 'button', class: 'link', onclick: () => nav.open(d.already) }, `→ №${d.already}`)));
      return;
    }
    const holder = h('div', { class: 'draft', id: prefix });
    const heading = h('h2', {}, d.file || t('req.mail.paste'), d.title ? h('span', { class: 'muted small' }, ` — ${d.title}`) : null);
    const form = requestForm(app, {
      prefix, heading, kind: d.kind, channel: 'email', receivedOn: d.receivedOn, noDate: !d.receivedOn,
      requester: d.requester, sender: d.sender, subjectId: d.subjectId, subjectName: d.subjectName,
      body: d.title ? `${d.title}\n\n${d.text}` : d.text, duplicates: d.duplicates,
      messageKey: d.messageKey, messageId: d.messageId, senderRaw: d.senderRaw, intakeNote: d.dateIgnored ? 'date.implausible' : '',
    }, nav, (id) => {
      replace(holder, h('p', { class: 'message notice', id: `${prefix}-done` },
        t('req.mail.registered', { id }), ' ', h('button', { type: 'button', class: 'link', onclick: () => nav.open(id) }, `→ №${id}`)));
      after?.();
    });
    form.prepend(notes);
    replace(holder, form);
    drafts.append(holder);
  }

  const openButton = h('button', { type: 'button', class: 'primary', id: 'mail-open', onclick: async () => {
    message.show('');
    try {
      for (const d of await api.intakeOpenEml(t('dialog.eml'))) add(d);
    } catch (err) { message.show(errorText(err)); }
  } }, t('req.mail.open'));
  const parseButton = h('button', { type: 'button', id: 'mail-parse', onclick: async () => {
    message.show('');
    if (!paste.value.trim()) return;
    try {
      add(await api.intakePaste(paste.value));
      paste.value = '';
    } catch (err) { message.show(errorText(err)); }
  } }, t('req.mail.parse'));

  return h('div', { class: 'mail-intake' },
    mailFolders(app, nav, (d, after) => { add(d, after); drafts.lastElementChild?.scrollIntoView({ block: 'start' }); }),
    h('p', { class: 'lead' }, t('req.mail.lead')),
    h('div', { class: 'toolbar' }, openButton),
    h('label', { class: 'field', for: 'mail-paste' }, h('span', {}, t('req.mail.paste')), paste),
    h('div', { class: 'toolbar' }, parseButton),
    message.el, drafts);
}
