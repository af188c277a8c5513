// Destroying and anonymizing (Law 94-V Art. 18, 25; policy 5.7, 8.8): the basis, what an
// anonymization keeps, exactly what will happen, one confirmation, then the act — and the
// retention sweep, which does the same for everyone whose data is past its time, in one act.
import { h, replace } from '../dom.js';
import { t, errorText, language, LANGUAGES } from '../i18n.js';
import * as api from '../api.js';
import { withProgress } from '../widgets/progress.js';
import { fmtDate, itemName, byId } from '../format.js';
import { messageBox } from '../widgets/common.js';
import { letterActions } from './letter-editor.js';

function checkbox(id, checked, label) {
  const input = h('input', { type: 'checkbox', id, checked });
  return { input, row: h('label', { class: 'check', for: id }, input, ` ${label}`) };
}

/** The lines of a preview: what will be removed, and what the user should know before. */
function previewLines(p, action) {
  const lines = [
    t('erase.will.subjects', { n: p.subjects }),
    t('erase.will.contacts', { n: p.contacts }),
  ];
  if (p.holdings || p.consents) lines.push(t('erase.will.holdings', { n: p.holdings + p.consents }));
  else if (action === 'anonymize') lines.push(t('erase.will.keep_holdings'));
  if (p.requests) lines.push(t('erase.will.requests', { n: p.requests }));
  if (p.letters) lines.push(t('erase.will.letters', { n: p.letters }));
  const warnings = [];
  if (p.openRequests) warnings.push(t('erase.warn.open_requests', { n: p.openRequests }));
  if (p.marketingRefusers) warnings.push(t('erase.warn.marketing', { n: p.marketingRefusers }));
  warnings.push(t('erase.warn.backups'));
  return { lines, warnings };
}

/** The act issued, with Save as… and Print. */
function doneView(app, done, onDone) {
  const box = messageBox('erase-done-message', 'notice');
  return h('div', { class: 'confirm', id: 'erase-done' },
    h('p', { class: 'message notice', role: 'status' },
      t('erase.done', { n: done.subjects, number: done.act.number })),
    letterActions(app, done.act, box), box.el,
    onDone ? h('button', { type: 'button', id: 'erase-continue', onclick: onDone }, t('erase.continue')) : null);
}

/**
 * The form shared by a person's destruction or anonymization and the retention batch.
 * `describe(keep)` gives the lines of what will happen, `run(keep, basis, lang)` does it;
 * `needsBasis` shows the basis field.
 */
export function erasureForm(app, { action, needsBasis, describe, run, onDone }) {
  const box = messageBox('erase-error');
  const basis = needsBasis ? h('textarea', { id: 'erase-basis', rows: '2', maxlength: '2000' }) : null;
  const anonymize = action === 'anonymize';
  const keep = anonymize ? {
    birthYear: checkbox('erase-keep-birth-year', true, t('erase.keep.birth_year')),
    sex: checkbox('erase-keep-sex', true, t('erase.keep.sex')),
    holdings: checkbox('erase-keep-holdings', true, t('erase.keep.holdings')),
  } : null;
  const keepValue = () => (keep ? {
    birthYear: keep.birthYear.input.checked, sex: keep.sex.input.checked, holdings: keep.holdings.input.checked,
  } : {});
  const lang = h('select', { id: 'erase-lang', 'aria-label': t('letter.lang') },
    LANGUAGES.map((l) => h('option', { value: l.code, selected: l.code === language() }, l.name)));
  const confirm = h('div', { class: 'confirm', id: 'erase-confirm', hidden: true });
  const root = h('form', { class: 'erase-form', id: 'erase-form' },
    h('p', { class: 'message notice' }, t(anonymize ? 'erase.explain.anonymize' : 'erase.explain.destroy')),
    basis ? h('label', { class: 'field', for: 'erase-basis' }, h('span', {}, t('erase.basis')), basis) : null,
    basis ? h('p', { class: 'muted small' }, t('erase.basis_hint')) : null,
    keep ? h('fieldset', { class: 'keep' }, h('legend', {}, t('erase.keep')), keep.birthYear.row, keep.sex.row, keep.holdings.row) : null,
    h('label', { class: 'field', for: 'erase-lang' }, h('span', {}, t('erase.act_lang')), lang),
    box.el,
    h('button', { type: 'submit', id: 'erase-preview' }, t('erase.preview')),
    confirm);
  root.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.show('');
    if (basis && !basis.value.trim()) {
      basis.setAttribute('aria-invalid', 'true');
      box.show(t('erase.basis_required'));
      return;
    }
    try {
      const { lines, warnings } = await describe(keepValue());
      confirm.hidden = false;
      replace(confirm,
        h('p', {}, h('strong', {}, t(anonymize ? 'erase.will.title.anonymize' : 'erase.will.title.destroy'))),
        h('ul', { id: 'erase-will' }, lines.map((l) => h('li', {}, l))),
        h('ul', { class: 'warnings', id: 'erase-warnings' }, warnings.map((l) => h('li', {}, l))),
        h('p', {}, t('erase.irreversible')),
        h('div', { class: 'toolbar' },
          h('button', { type: 'button', class: 'danger', id: 'erase-yes', onclick: async (ev) => {
            ev.target.disabled = true;
            try {
              const done = await run(keepValue(), basis ? basis.value : '', lang.value);
              replace(root, doneView(app, done, onDone));
            } catch (err) {
              ev.target.disabled = false;
              box.show(err.code === 'invalid' && (err.issues || []).some((i) => i.field === 'basis') ? t('erase.basis_required') : errorText(err));
            }
          } }, t(anonymize ? 'erase.yes.anonymize' : 'erase.yes.destroy')),
          h('button', { type: 'button', onclick: () => { confirm.hidden = true; } }, t('letter.cancel'))));
    } catch (err) { box.show(errorText(err)); }
  });
  return root;
}

/** The card's section with Destroy… and Anonymize…, also opened from a request (`requestId`). */
export function erasureSection(app, c, requestId, reload) {
  if (c.status !== 'active' && c.status !== 'blocked') return null;
  const holder = h('div', { id: 'erase-holder' });
  const open = (action) => replace(holder, erasureForm(app, {
    action,
    needsBasis: !requestId,
    describe: (keep) => api.erasurePreview(action, [c.id], keep).then((p) => previewLines(p, action)),
    run: (keep, basis, lang) => withProgress(t(`job.${action}`), () => api.erasureRun(action, [c.id], basis, requestId, keep, lang)),
    onDone: reload,
  }));
  return h('section', { class: 'card-section', id: 'card-erasure' }, h('h3', {}, t('erase.title')),
    h('p', { class: 'muted' }, t('erase.hint')),
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'danger', id: 'erase-destroy', onclick: () => open('destroy') }, t('erase.destroy')),
      h('button', { type: 'button', id: 'erase-anonymize', onclick: () => open('anonymize') }, t('erase.anonymize'))),
    holder);
}

/** What stays of a destroyed or anonymized person: the tombstone, with the act. */
export function tombstoneView(app, cats, c, nav) {
  const root = h('div', { class: 'subject-card', id: 'subject-card' });
  api.subjectTombstone(c.id).then((s) => {
    const box = messageBox('tombstone-message', 'notice');
    const facts = s ? [
      [t('tomb.done_on'), fmtDate(s.doneOn)],
      [t('tomb.basis'), s.basis || (s.requestId ? t('tomb.request', { id: s.requestId }) : t('tomb.retention'))],
      [t('tomb.request_label'), s.basis && s.requestId ? `№ ${s.requestId}` : null],
      [t('tomb.act'), s.actNumber],
      [t('tomb.categories'), s.categories.map((code) => itemName(cats.categories.find((x) => x.code === code)) || code).join(', ')],
      [t('tomb.birth_year'), s.birthYear ? String(s.birthYear) : null],
      [t('tomb.sex'), s.sex ? t(`tomb.sex.${s.sex}`) : null],
    ] : [];
    const act = s && s.actId ? { id: s.actId, number: s.actNumber } : null;
    replace(root,
      h('div', { class: 'card-head' },
        h('button', { type: 'button', class: 'link', id: 'card-back', onclick: nav.back }, `← ${t('card.back')}`),
        h('h1', { id: 'card-name' }, t('tomb.record', { id: c.id })),
        h('span', { class: `chip status-${c.status}`, id: 'card-status' }, t(`status.${c.status}`))),
      h('p', { class: 'message notice', id: 'tombstone-note' }, t(`tomb.note.${c.status}`)),
      h('section', { class: 'card-section', id: 'card-tombstone' },
        h('dl', { class: 'facts' }, facts.filter(([, v]) => v).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
        act ? letterActions(app, act, box) : null, box.el),
      c.status === 'anonymized' && c.holdings.length
        ? h('section', { class: 'card-section' }, h('h3', {}, t('card.holdings')),
          h('ul', {}, c.holdings.map((x) => h('li', {}, `${itemName(byId(cats.categories, x.categoryId))} — ${itemName(byId(cats.purposes, x.purposeId))}`))))
        : null);
  }).catch((err) => app.handleError(err, root));
  return root;
}
