// Preparing a letter or an act: Derbes proposes the wording from the vault, the user edits the
// addressee, heading and paragraphs beside a preview of the page, then issues it. An issued
// document gets its number, is stored in the vault as issued and can no longer be changed; it
// can then be saved as PDF or printed.
import { h, replace } from '../dom.js';
import { t, errorText, language, LANGUAGES } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate } from '../format.js';
import { messageBox } from '../widgets/common.js';
import { issueText } from './letterhead.js';

const paragraphs = (text) => text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
const lines = (text) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/**
 * `source`: { kind, lang?, requestId?, subjectId?, period?, corrects? }.
 * `kinds`: the document kinds the user may switch between (the first is `source.kind`).
 * `done(row)`: after issuing; `cancel()`.
 */
export function letterEditor(app, source, { kinds = [source.kind], cancel } = {}) {
  const root = h('div', { class: 'letter-editor', id: 'letter-editor' }, h('p', { class: 'muted' }, t('subjects.loading')));
  const src = { lang: language(), requestId: null, subjectId: null, period: null, corrects: null, ...source };

  const load = () => api.letterDraft(src).then((d) => replace(root, render(d)))
    .catch((err) => replace(root, h('p', { class: 'message error', id: 'letter-error', role: 'alert' }, issueText(err)),
      h('button', { type: 'button', onclick: cancel }, t('letter.back'))));

  function render(d) {
    const box = messageBox('letter-message');
    const kind = h('select', { id: 'letter-kind' }, kinds.map((k) => h('option', { value: k, selected: k === src.kind }, t(`doc.${k}`))));
    kind.addEventListener('change', () => { src.kind = kind.value; load(); });
    const lang = h('select', { id: 'letter-lang' }, LANGUAGES.map((l) => h('option', { value: l.code, selected: l.code === src.lang }, l.name)));
    lang.addEventListener('change', () => { src.lang = lang.value; load(); });
    const addressee = h('textarea', { id: 'letter-addressee', rows: '3' });
    addressee.value = d.addressee.join('\n');
    const title = h('input', { id: 'letter-title', value: d.title });
    const salutation = h('input', { id: 'letter-salutation', value: d.salutation });
    const intro = h('textarea', { id: 'letter-intro', rows: '8' });
    intro.value = d.intro.join('\n\n');
    const outro = h('textarea', { id: 'letter-outro', rows: '5' });
    outro.value = d.outro.join('\n\n');
    const sheet = h('div', { class: 'sheet', id: 'letter-preview', 'aria-label': t('letter.preview') });
    // What the draft shows that needs a look first (an extract listing data whose consent has
    // ended): said above the form, and issuing needs the box ticked.
    const accept = h('input', { type: 'checkbox', id: 'letter-accept-warnings' });
    const warnings = (d.warnings || []).length ? h('div', { class: 'message notice', id: 'letter-warnings', role: 'alert' },
      (d.warnings || []).map(([code, n]) => h('p', {}, t(`warning.${code}`, { n }))),
      h('label', { class: 'check', for: 'letter-accept-warnings' }, accept, t('letter.accept_warnings'))) : null;
    const edits = () => ({
      addressee: lines(addressee.value),
      title: title.value,
      salutation: salutation.value,
      intro: paragraphs(intro.value),
      outro: paragraphs(outro.value),
      acceptWarnings: accept.checked,
    });
    const redraw = () => replace(sheet, preview(d, edits()));
    for (const el of [addressee, title, salutation, intro, outro]) el.addEventListener('input', redraw);
    redraw();

    const issue = h('button', { type: 'button', class: 'primary', id: 'letter-issue' }, t('letter.issue'));
    const confirm = h('div', { class: 'confirm', id: 'letter-confirm', hidden: true },
      h('p', {}, t('letter.issue.confirm', { number: d.nextNumber })),
      h('button', { type: 'button', class: 'primary', id: 'letter-issue-yes', onclick: async () => {
        box.show('');
        try {
          const row = await api.letterIssue(src, edits());
          replace(root, issued(app, row, cancel));
        } catch (err) { confirm.hidden = true; box.show(issueText(err)); }
      } }, t('letter.issue.yes')),
      h('button', { type: 'button', onclick: () => { confirm.hidden = true; } }, t('letter.issue.no')));
    issue.addEventListener('click', () => { confirm.hidden = false; });

    const field = (id, label, input) => h('label', { class: 'field', for: id }, h('span', {}, label), input);
    const hasLetterhead = d.letterhead.operator && d.letterhead.signerName;
    return h('div', { class: 'letter-columns' },
      h('div', { class: 'letter-form' },
        h('div', { class: 'toolbar' }, field('letter-kind', t('letter.kind'), kind), field('letter-lang', t('letter.lang'), lang)),
        hasLetterhead ? null : h('p', { class: 'message error', id: 'letter-no-letterhead' }, t('letter.no_letterhead')),
        warnings,
        d.isAct || d.kind === 'period-report' ? null : field('letter-addressee', t('letter.addressee'), addressee),
        field('letter-title', t('letter.heading'), title),
        d.salutation || !d.isAct ? field('letter-salutation', t('letter.salutation'), salutation) : null,
        field('letter-intro', t('letter.intro'), intro),
        d.tables.length ? h('p', { class: 'hint' }, t('letter.tables_note', { n: d.tables.length })) : null,
        field('letter-outro', t('letter.outro'), outro),
        h('p', { class: 'hint' }, t('letter.paragraph_hint')),
        box.el,
        h('div', { class: 'toolbar' }, issue, h('button', { type: 'button', id: 'letter-cancel', onclick: cancel }, t('letter.cancel'))),
        confirm),
      h('div', { class: 'letter-preview-wrap' }, h('p', { class: 'muted small' }, t('letter.preview')), sheet));
  }
  load();
  return root;
}

/** An HTML picture of the page as it will be printed (the PDF is made when issued). */
function preview(d, e) {
  const lh = d.letterhead;
  const contacts = [lh.bin ? `${t('letter.bin')} ${lh.bin}` : '', lh.phones, lh.email].filter(Boolean).join(' · ');
  const head = h('div', { class: 'sheet-head' },
    h('div', { class: 'sheet-operator' }, lh.operator || '—'),
    lh.address ? h('div', { class: 'sheet-small' }, lh.address.replace(/\n/g, ', ')) : null,
    contacts ? h('div', { class: 'sheet-small' }, contacts) : null);
  const number = h('span', { class: 'draft-number' }, `${d.nextNumber} (${t('letter.draft')})`);
  const top = d.isAct
    ? [h('div', { class: 'sheet-act' }, t('letter.act_no'), ' ', number), h('div', { class: 'sheet-act-title' }, e.title),
      h('div', { class: 'sheet-place' }, h('span', {}, lh.city), h('span', {}, fmtDate(new Date().toISOString().slice(0, 10))))]
    : [h('div', { class: 'sheet-refs' },
      h('div', {}, h('div', {}, t('letter.out_no'), ' ', number), d.reference.map((r) => h('div', {}, r))),
      h('div', { class: 'sheet-addressee' }, e.addressee.map((l) => h('div', {}, l)))),
    h('div', { class: d.kind === 'period-report' ? 'sheet-act-title' : 'sheet-title' }, e.title)];
  return [head, ...top,
    d.correctsNumber ? h('p', { class: 'sheet-small' }, t('letter.corrects', { number: d.correctsNumber })) : null,
    e.salutation ? h('p', { class: 'sheet-salutation' }, e.salutation) : null,
    e.intro.map((p) => h('p', {}, p)),
    d.tables.map((tb) => [tb.caption ? h('p', { class: 'sheet-caption' }, tb.caption) : null,
      h('table', { class: 'sheet-table' },
        h('thead', {}, h('tr', {}, tb.header.map((c, i) => {
          // Through the CSSOM: the CSP refuses style attributes.
          const th = h('th', {}, c);
          th.style.width = `${Math.round(tb.widths[i] * 100)}%`;
          return th;
        }))),
        h('tbody', {}, tb.rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))))]),
    e.outro.map((p) => h('p', {}, p)),
    d.signatures.map(([role, name]) => h('div', { class: 'sheet-sign' }, h('span', {}, role), h('span', { class: 'sign-line' }), h('span', {}, name)))];
}

/** After issuing: the number, Save as…, Print. */
export function issued(app, row, back) {
  const box = messageBox('letter-issued-message', 'notice');
  return h('div', { class: 'card', id: 'letter-issued' },
    h('h2', {}, t('letter.issued', { number: row.number })),
    h('p', {}, t('letter.issued.facts', { date: fmtDate(row.issuedOn), n: row.pages, kb: Math.max(1, Math.round(row.bytes / 1024)) })),
    h('p', { class: 'muted small mono' }, `SHA-256 ${row.sha256}`),
    letterActions(app, row, box),
    answeredStep(row, box),
    box.el,
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', id: 'letter-to-register', onclick: () => app.go('letters') }, t('letter.to_register')),
      back ? h('button', { type: 'button', id: 'letter-back', onclick: back }, t('letter.back')) : null));
}

/** Save as… and Print for an issued document. */
export function letterActions(app, row, box) {
  // A document withdrawn with a destroyed person's data has only its register line left.
  if (row.redactedOn) return h('p', { class: 'muted' }, t('doc.redacted', { date: fmtDate(row.redactedOn) }));
  const printerBox = h('span', { class: 'printer-pick' });
  const save = h('button', { type: 'button', class: 'primary', 'data-save': row.id, id: `letter-save-${row.id}`, onclick: async () => {
    try {
      const n = await api.letterSave(row.id, t('letter.save'));
      if (n !== null && n !== undefined) box.show(t('letter.saved', { kb: Math.max(1, Math.round(n / 1024)) }));
    } catch (err) { box.show(errorText(err)); }
  } }, t('letter.save'));
  const print = h('button', { type: 'button', 'data-print': row.id, id: `letter-print-${row.id}`, onclick: async () => {
    try {
      const list = await api.printers();
      const select = h('select', { id: `letter-printer-${row.id}`, 'aria-label': t('letter.printer') },
        list.map((p) => h('option', { value: p.name, selected: p.isDefault }, p.name)));
      replace(printerBox, select, h('button', { type: 'button', class: 'primary', id: `letter-print-go-${row.id}`, onclick: async () => {
        try {
          const job = await api.letterPrint(row.id, select.value);
          box.show(t('letter.printed', { printer: select.value, job }));
          replace(printerBox);
        } catch (err) { box.show(errorText(err)); }
      } }, t('letter.print.go')));
    } catch (err) { box.show(errorText(err)); }
  } }, t('letter.print'));
  // Back the way the request came (policy 12.1): a new message in the user's mail program.
  const mail = row.kind === 'period-report' || row.kind === 'breach-notice' ? null
    : h('button', { type: 'button', 'data-mail': row.id, id: `letter-mail-${row.id}`, onclick: async () => {
      try {
        const m = await api.letterMail(row.id);
        box.show(t('letter.mailed', { to: m.to, program: t(`mailer.${m.program}`) }));
      } catch (err) { box.show(errorText(err)); }
    } }, t('letter.mail'));
  return h('div', { class: 'toolbar' }, save, print, mail, printerBox);
}

/** After a letter answering an open request: record the answer as sent today, in one click. */
function answeredStep(row, box) {
  // The letters between request and answer answer nothing.
  if (!row.requestId || ['refusal', 'period-report', 'acknowledgement', 'extension-notice', 'clarification-request'].includes(row.kind)) return null;
  const holder = h('div', { class: 'toolbar' });
  api.requestGet(row.requestId).then((r) => {
    if (r.status !== 'new' && r.status !== 'in_progress') return;
    holder.append(h('button', { type: 'button', id: 'letter-mark-answered', onclick: async (e) => {
      try {
        const d = new Date();
        const p = (n) => String(n).padStart(2, '0');
        await api.requestStep(row.requestId, { action: 'answer', date: `${p(d.getDate())}.${p(d.getMonth() + 1)}.${d.getFullYear()}` });
        e.target.disabled = true;
        box.show(t('letter.marked_answered', { id: row.requestId }));
      } catch (err) { box.show(errorText(err)); }
    } }, t('letter.mark_answered', { id: row.requestId })));
  }).catch(() => {});
  return holder;
}
