// One change for everyone the registry's list shows (its search and filters): a consent or a
// holding recorded, holdings of a purpose ended, consents withdrawn, or the stop-list. The preview
// says how many change and why the others do not; nothing is written before the confirmation, and
// then everything in one transaction.
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { vocab } from '../vocab.js';
import { itemName, todayText } from '../format.js';
import { messageBox } from '../widgets/common.js';

const ACTIONS = ['record_consent', 'add_holding', 'end_holdings', 'withdraw_consents', 'stop_list'];

/** `query()`: the list's current search (as `api.searchSubjects` takes it); `done()` reloads it. */
export function bulkPanel(cats, query, done) {
  const box = messageBox('bulk-message', 'notice');
  const sel = (id, pairs) => h('select', { id }, pairs.map(([v, label]) => h('option', { value: String(v) }, label)));
  const action = sel('bulk-action', ACTIONS.map((a) => [a, t(`bulk.action.${a}`)]));
  const purpose = sel('bulk-purpose', cats.purposes.map((p) => [p.id, itemName(p)]));
  const category = sel('bulk-category', cats.categories.map((c) => [c.id, itemName(c)]));
  const basis = sel('bulk-basis', vocab.holdingBases.map((b) => [b, t(`basis.${b}`)]));
  const form = sel('bulk-form', vocab.consentForms.map((f) => [f, t(`form.${f}`)]));
  const channel = sel('bulk-channel', vocab.withdrawalChannels.map((c) => [c, t(`channel.${c}`)]));
  const date = h('input', { id: 'bulk-date', value: todayText() });
  const row = (label, el) => h('label', { class: 'field' }, h('span', {}, label), el);
  const rows = {
    purpose: row(t('bulk.purpose'), purpose),
    category: row(t('bulk.category'), category),
    basis: row(t('bulk.basis'), basis),
    form: row(t('consent.form'), form),
    channel: row(t('channel.label'), channel),
    date: row(t('bulk.date'), date),
  };
  const needs = {
    record_consent: ['purpose', 'form', 'date'],
    add_holding: ['category', 'purpose', 'basis', 'date'],
    end_holdings: ['purpose', 'date'],
    withdraw_consents: ['purpose', 'channel', 'date'],
    stop_list: ['channel', 'date'],
  };
  const show = () => {
    for (const [k, el] of Object.entries(rows)) el.hidden = !needs[action.value].includes(k);
    replace(result);
    confirm.hidden = true;
  };
  const change = () => {
    const p = Number(purpose.value);
    switch (action.value) {
      case 'record_consent': return { action: 'record_consent', consent: { purposeId: p, grantedAt: date.value, form: form.value } };
      case 'add_holding': return { action: 'add_holding', holding: { categoryId: Number(category.value), purposeId: p, basis: basis.value, since: date.value } };
      case 'end_holdings': return { action: 'end_holdings', purposeId: p, on: date.value };
      case 'withdraw_consents': return { action: 'withdraw_consents', purposeId: p, on: date.value, channel: channel.value };
      default: return { action: 'stop_list', on: date.value, channel: channel.value };
    }
  };
  const selection = () => ({ filter: query() });
  const result = h('div', { id: 'bulk-preview' });
  const say = (o, key) => {
    const refused = o.refused.map(([code, n]) => h('li', {}, `${t(`bulk.refused.${code}`)}: ${n}`));
    replace(result, h('p', {}, t(key, { n: o.changed, of: o.selected, same: o.unchanged })),
      refused.length ? h('ul', { class: 'warnings' }, refused) : null);
  };
  const preview = h('button', { type: 'button', id: 'bulk-preview-do', onclick: async () => {
    box.show('');
    try {
      const o = await api.bulkPreview(selection(), change());
      say(o, 'bulk.would');
      confirm.hidden = o.changed === 0;
    } catch (err) {
      box.show(err.code === 'invalid' ? (err.issues || []).map((i) => t(`issue.${i.code}`)).join(' ') : errorText(err));
    }
  } }, t('bulk.preview'));
  const confirm = h('button', { type: 'button', class: 'primary', id: 'bulk-confirm', hidden: true, onclick: async () => {
    confirm.disabled = true;
    try {
      const o = await api.bulkRun(selection(), change());
      say(o, 'bulk.done');
      confirm.hidden = true;
      done();
    } catch (err) { box.show(errorText(err)); } finally { confirm.disabled = false; }
  } }, t('bulk.confirm'));
  action.addEventListener('change', show);
  for (const el of [purpose, category, basis, form, channel, date]) el.addEventListener('change', () => { replace(result); confirm.hidden = true; });
  const panel = h('div', { class: 'card bulk', id: 'bulk-panel' },
    h('h3', {}, t('bulk.title')), h('p', { class: 'hint' }, t('bulk.hint')),
    h('div', { class: 'form-grid' }, row(t('bulk.what'), action), Object.values(rows)),
    h('div', { class: 'actions' }, preview, confirm), result, box.el);
  show();
  return panel;
}
