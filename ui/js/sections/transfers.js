// A person's transfers on the card (Law 94-V Art. 16; policy 8.2, 10): what went to whom, and
// recording a new one, checked against its basis.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate, itemName, byId, todayText } from '../format.js';
import { field, categoryChecks, issuesText } from '../widgets/form.js';
import { messageBox } from '../widgets/common.js';
import { vocab } from '../vocab.js';

/** The card's transfers: what went to whom, and recording a new one (checked against the basis). */
export function transfersSection(app, cats, c, editable) {
  const list = h('div', { id: 'transfer-list' });
  const load = () => api.transferList(c.id).then((rows) => replace(list, rows.length
    ? h('ul', { class: 'transfers' }, rows.map((x) => h('li', { 'data-transfer': x.id },
      h('div', {}, h('strong', {}, x.recipient), ` · ${x.country}`, x.crossBorder ? ` (${t('transfer.abroad')})` : ''),
      h('div', { class: 'muted small' }, fmtDate(x.transferredOn), ' · ', t(`transfer.basis.${x.basis}`),
        x.basisRef ? ` · ${x.basisRef}` : '', x.consentId ? ` · ${t('transfer.consent_no', { id: x.consentId })}` : ''),
      x.overrideReason ? h('p', { class: 'message notice small' }, `${t('transfer.overridden')}: `, x.overrideReason) : null)))
    : h('p', { class: 'muted' }, t('transfer.none')))).catch((err) => app.handleError(err, list));
  load();
  let form = null;
  if (editable) {
    const box = messageBox('transfer-error');
    const recipient = h('input', { maxlength: '300' });
    const country = h('input', { value: 'KZ', maxlength: '2', size: '3', class: 'mono', autocapitalize: 'characters' });
    const purpose = h('select', {}, cats.purposes.map((p) => h('option', { value: String(p.id) }, itemName(p))));
    const basis = h('select', {}, vocab.transferBases.map((b) => h('option', { value: b }, t(`transfer.basis.${b}`))));
    const ref = h('input', { maxlength: '300', placeholder: t('transfer.basis_ref.hint') });
    const on = h('input', { value: todayText() });
    const checks = categoryChecks('transfer', cats);
    const overrideBox = h('div', { id: 'transfer-override', hidden: true });
    const args = (overrideReason) => ({
      subjectId: c.id, recipient: recipient.value, country: country.value, categoryIds: checks.value(),
      purposeId: Number(purpose.value), basis: basis.value, basisRef: ref.value, transferredOn: on.value,
      overrideReason: overrideReason ?? null,
    });
    const save = async (overrideReason) => {
      box.show('');
      try {
        await api.transferRecord(args(overrideReason));
        overrideBox.hidden = true;
        recipient.value = '';
        ref.value = '';
        load();
      } catch (err) {
        if (err.code === 'transfer.refused') {
          // Refused with the reason; recording it anyway needs a written justification.
          const reason = (err.issues || [])[0];
          const why = h('textarea', { id: 'transfer-override-text', rows: '3', maxlength: '2000' });
          overrideBox.hidden = false;
          replace(overrideBox,
            h('p', { class: 'message error', role: 'alert', id: 'transfer-refused' }, t('transfer.refused', { reason: reason ? t(`issue.${reason.code}`) : '' })),
            field('transfer-override-text', t('transfer.override'), why),
            h('button', { type: 'button', class: 'danger', id: 'transfer-override-save', onclick: () => {
              if (!why.value.trim()) { box.show(t('transfer.override_required')); return; }
              save(why.value);
            } }, t('transfer.override_save')));
        } else {
          box.show(issuesText(err));
        }
      }
    };
    form = h('form', { class: 'inline-form', id: 'transfer-form' },
      field('transfer-recipient', t('transfer.recipient'), recipient),
      field('transfer-country', t('transfer.country_code'), country),
      field('transfer-purpose', t('transfer.purpose'), purpose),
      field('transfer-basis', t('transfer.basis'), basis),
      field('transfer-ref', t('transfer.basis_ref'), ref),
      field('transfer-date', t('transfer.date'), on),
      checks.el, box.el,
      h('button', { type: 'submit', id: 'transfer-save' }, t('transfer.record')),
      overrideBox);
    form.addEventListener('submit', (e) => { e.preventDefault(); save(null); });
  }
  return h('section', { class: 'card-section', id: 'card-transfers' }, h('h3', {}, t('transfer.title')), list, form);
}
