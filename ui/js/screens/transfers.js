// The transfers register as a whole: the export for an inspection, and the editable list of states
// protecting personal data (Law 94-V Art. 16).
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate, itemName, byId, todayText } from '../format.js';
import { field, categoryChecks, issuesText } from '../widgets/form.js';
import { messageBox } from '../widgets/common.js';

/** The whole register: export for an inspection, and the list of states protecting personal data. */
export function transfersView(app) {
  const box = messageBox('transfers-message', 'notice');
  const countries = h('div', { id: 'adequate-list' });
  const load = () => api.adequateCountries().then((list) => replace(countries, list.length
    ? h('table', { class: 'grid narrow' }, h('tbody', {}, list.map((c) => h('tr', { 'data-code': c.code },
      h('td', { class: 'mono' }, c.code), h('td', {}, c.name), h('td', { class: 'muted' }, c.note),
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: async () => {
        try { await api.adequateCountryRemove(c.code); load(); } catch (err) { box.show(errorText(err)); }
      } }, t('transfer.country_remove')))))))
    : h('p', { class: 'muted', id: 'adequate-empty' }, t('transfer.countries_empty')))).catch((err) => app.handleError(err, countries));
  load();
  const code = h('input', { maxlength: '2', size: '3', class: 'mono' });
  const name = h('input', { maxlength: '200' });
  const note = h('input', { maxlength: '500', placeholder: t('transfer.country_note.hint') });
  const add = h('form', { class: 'inline-form', id: 'adequate-form' },
    field('adequate-code', t('transfer.country_code'), code), field('adequate-name', t('transfer.country_name'), name),
    field('adequate-note', t('transfer.country_note'), note),
    h('button', { type: 'submit' }, t('transfer.country_add')));
  add.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.show('');
    try { await api.adequateCountryAdd({ code: code.value, name: name.value, note: note.value }); code.value = ''; name.value = ''; note.value = ''; load(); } catch (err) { box.show(issuesText(err)); }
  });
  return h('section', { class: 'area', id: 'area-transfers' },
    h('h1', {}, t('transfer.register')),
    h('p', { class: 'muted' }, t('transfer.register.hint')),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', id: 'transfers-export', onclick: async () => {
      try {
        const n = await api.transfersExport(t('dialog.transfers'));
        if (n !== null && n !== undefined) box.show(t('transfer.exported', { n }));
      } catch (err) { box.show(errorText(err)); }
    } }, t('transfer.export'))),
    box.el,
    h('h2', {}, t('transfer.countries')),
    h('p', { class: 'muted' }, t('transfer.countries.hint')),
    countries, add);
}
