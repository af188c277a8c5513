// Paper consent forms (issue 19): print a form for a purpose (blank, or for a person), then record
// the signed form by its number — typed, or scanned from its QR code by a USB scanner that types
// the number and Enter into the box.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate, itemName, byId } from '../format.js';
import { messageBox } from '../widgets/common.js';
import { subjectPicker } from './request-form.js';

export function consentForms(app, cats, nav) {
  // Recording: the box takes the scanner's keystrokes; Enter records.
  const recordBox = messageBox('form-record-message', 'notice');
  const number = h('input', { id: 'form-number', inputmode: 'numeric', autocomplete: 'off', placeholder: '2026-00012' });
  let blankFor = null;
  const blankPicker = subjectPicker('form-record', null, (s) => { blankFor = s?.id ?? null; });
  const blankRow = h('div', { id: 'form-record-blank', hidden: true }, h('p', {}, t('forms.blank_who')), blankPicker.row);
  async function record() {
    recordBox.show('');
    try {
      const [, subjectId] = await api.consentFormRecord(number.value, blankFor, '');
      recordBox.show(t('forms.recorded', { number: number.value.trim() }));
      recordBox.el.append(' ', h('button', { type: 'button', class: 'link', id: 'form-open-card', onclick: () => nav.open(subjectId) }, t('forms.open_card')));
      number.value = '';
      blankRow.hidden = true;
      blankFor = null;
      loadRegister();
    } catch (err) {
      // A blank form: whose it is is asked, then Enter again.
      if (err?.code === 'invalid' && err.issues?.some((i) => i.field === 'subject_id' && i.code === 'required')) {
        blankRow.hidden = false;
        recordBox.show(t('forms.blank_who'));
      } else recordBox.show(errorText(err));
    }
    number.focus();
  }
  number.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); record(); } });

  // Printing.
  const printBox = messageBox('form-print-message', 'notice');
  const purpose = h('select', { id: 'form-purpose' }, cats.purposes.map((p) => h('option', { value: p.id }, itemName(p))));
  let forWhom = null;
  const picker = subjectPicker('form-print', null, (s) => { forWhom = s?.id ?? null; });
  const data = h('textarea', { id: 'form-data', rows: '2' });
  const until = h('input', { id: 'form-until', placeholder: 'ДД.ММ.ГГГГ' });
  const third = h('input', { type: 'checkbox', id: 'form-third' });
  const cross = h('input', { type: 'checkbox', id: 'form-cross' });
  const countries = h('input', { id: 'form-countries' });
  const published = h('input', { type: 'checkbox', id: 'form-published' });
  const lang = h('select', { id: 'form-lang' }, ['ru', 'kk', 'en'].map((l) => h('option', { value: l }, ({ ru: 'Русский', kk: 'Қазақша', en: 'English' })[l])));
  const done = h('div', { id: 'form-done' });
  const toIso = (s) => { const m = s.trim().match(/^(\d{2})\.(\d{2})\.(\d{4})$/); return m ? `${m[3]}-${m[2]}-${m[1]}` : s.trim(); };
  const print = h('button', { type: 'button', class: 'primary', id: 'form-issue', onclick: async () => {
    printBox.show('');
    try {
      const f = await api.consentFormIssue({
        purposeId: Number(purpose.value), subjectId: forWhom, lang: lang.value, validUntil: toIso(until.value),
        dataList: data.value, thirdParties: third.checked, crossBorder: cross.checked, countries: countries.value,
        published: published.checked,
      });
      const printers = h('span', {});
      replace(done, h('p', { class: 'message notice', id: 'form-issued' }, t('forms.issued', { number: f.number })),
        h('div', { class: 'toolbar' },
          h('button', { type: 'button', class: 'primary', id: `form-save-${f.id}`, onclick: async () => {
            try {
              const n = await api.consentFormSave(f.id, t('forms.save'));
              if (n !== null && n !== undefined) printBox.show(t('letter.saved', { kb: Math.max(1, Math.round(n / 1024)) }));
            } catch (err) { printBox.show(errorText(err)); }
          } }, t('forms.save')),
          h('button', { type: 'button', id: `form-print-${f.id}`, onclick: async () => {
            try {
              const list = await api.printers();
              const select = h('select', { id: `form-printer-${f.id}`, 'aria-label': t('letter.printer') },
                list.map((p) => h('option', { value: p.name, selected: p.isDefault }, p.name)));
              replace(printers, select, h('button', { type: 'button', class: 'primary', id: `form-print-go-${f.id}`, onclick: async () => {
                try {
                  const job = await api.consentFormPrint(f.id, select.value);
                  printBox.show(t('letter.printed', { printer: select.value, job }));
                } catch (err) { printBox.show(errorText(err)); }
              } }, t('letter.print.go')));
            } catch (err) { printBox.show(errorText(err)); }
          } }, t('letter.print')), printers));
      loadRegister();
    } catch (err) { printBox.show(errorText(err)); }
  } }, t('forms.issue'));

  const register = h('div', { id: 'form-register' });
  async function loadRegister() {
    try {
      const page = await api.consentFormList(0, 50);
      replace(register, page.total ? h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, ['forms.col.number', 'forms.col.date', 'forms.col.purpose', 'forms.col.recorded'].map((k) => h('th', {}, t(k))))),
        h('tbody', {}, page.rows.map((f) => h('tr', { 'data-number': f.number },
          h('td', { class: 'mono' }, f.number), h('td', { class: 'date' }, fmtDate(f.issuedOn)),
          h('td', {}, itemName(byId(cats.purposes, f.purposeId))),
          h('td', {}, f.recordedOn ? fmtDate(f.recordedOn) : h('span', { class: 'muted' }, t('forms.not_recorded')))))))
        : h('p', { class: 'muted' }, t('forms.none')));
    } catch (err) { app.handleError(err, register); }
  }
  loadRegister();
  const field = (label, el) => h('label', { class: 'field', for: el.id }, h('span', {}, t(label)), el);
  const check = (label, el) => h('label', { class: 'check', for: el.id }, el, h('span', {}, t(label)));
  setTimeout(() => number.focus(), 0);
  return h('div', { class: 'consent-forms' },
    h('section', { class: 'card', id: 'form-record' }, h('h2', {}, t('forms.record_title')),
      h('p', { class: 'lead' }, t('forms.record_lead')),
      field('forms.number', number), blankRow, recordBox.el),
    h('section', { class: 'card', id: 'form-print' }, h('h2', {}, t('forms.print_title')),
      h('p', { class: 'lead' }, t('forms.print_lead')),
      h('div', { class: 'form-grid' }, field('forms.purpose', purpose), picker.row, field('forms.data', data),
        field('forms.until', until), field('forms.lang', lang), field('forms.countries', countries)),
      h('div', { class: 'checks' }, check('forms.third', third), check('forms.cross', cross), check('forms.published', published)),
      h('div', { class: 'toolbar' }, print), printBox.el, done),
    h('section', { class: 'card' }, h('h2', {}, t('forms.register')), register));
}
