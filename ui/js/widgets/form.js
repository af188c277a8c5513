// Small pieces of the registers' forms: a labelled field, the data categories as checkboxes, and
// an error's text with its fields named.
import { h } from '../dom.js';
import { t, errorText } from '../i18n.js';
import { itemName } from '../format.js';

export function field(id, label, input) {
  input.id = id;
  return h('label', { class: 'field', for: id }, h('span', {}, label), input);
}

export function categoryChecks(prefix, cats) {
  const boxes = cats.categories.map((c) => h('input', { type: 'checkbox', value: String(c.id), id: `${prefix}-cat-${c.id}` }));
  const el = h('fieldset', { class: 'keep', id: `${prefix}-categories` }, h('legend', {}, t('transfer.categories')),
    cats.categories.map((c, i) => h('label', { class: 'check', for: boxes[i].id }, boxes[i], ` ${itemName(c)}`)));
  return { el, value: () => boxes.filter((b) => b.checked).map((b) => Number(b.value)) };
}

/** Shows an `invalid` error's issues, or the error. */
export function issuesText(err) {
  if (err.code === 'invalid') return (err.issues || []).map((i) => `${t(`field.${i.field}`) !== `field.${i.field}` ? t(`field.${i.field}`) : i.field}: ${t(`issue.${i.code}`)}`).join(' ');
  return errorText(err);
}
