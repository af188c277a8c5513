// A subject's card: identity, contacts, data held, consents, refusals, requests. Opening it is
// recorded in the journal (the access log).
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import { vocab } from '../vocab.js';
import * as api from '../api.js';
import { fmtDate, itemName, byId, todayText } from '../format.js';
import { messageBox } from '../widgets/common.js';
import { erasureSection, tombstoneView } from './erasure.js';
import { transfersSection } from './transfers.js';


function options(list, selected) {
  return list.map(([v, label]) => h('option', { value: v, selected: String(v) === String(selected) }, label));
}

function section(id, title, ...children) {
  return h('section', { class: 'card-section', id }, h('h3', {}, title), ...children);
}

function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** Shows the issues of an `invalid` error next to the named fields, or the error in `box`. */
function showError(err, box, fields = {}) {
  if (err.code === 'invalid') {
    const texts = (err.issues || []).map((i) => {
      if (fields[i.field]) fields[i.field].setAttribute('aria-invalid', 'true');
      return `${t(`consent.${i.field}`) !== `consent.${i.field}` ? t(`consent.${i.field}`) : i.field}: ${t(`issue.${i.code}`)}`;
    });
    box.show(texts.join(' '));
  } else {
    box.show(errorText(err));
  }
}

export function cardView(app, cats, id, nav) {
  const root = h('div', { class: 'subject-card', id: 'subject-card' }, h('p', { class: 'muted' }, t('subjects.loading')));
  const reload = () => api.subjectCard(id).then((card) => replace(root,
    card.status === 'destroyed' || card.status === 'anonymized' ? tombstoneView(app, cats, card, nav) : render(app, cats, card, nav, reload)))
    .catch((err) => app.handleError(err, root));
  reload();
  return root;
}

function render(app, cats, c, nav, reload) {
  const editable = c.status === 'active';
  const name = [c.surname, c.givenName, c.patronymic].filter(Boolean).join(' ');
  const head = h('div', { class: 'card-head' },
    h('button', { type: 'button', class: 'link', id: 'card-back', onclick: nav.back }, `← ${t('card.back')}`),
    h('h1', { id: 'card-name' }, name),
    h('span', { class: `chip status-${c.status}`, id: 'card-status' }, t(`status.${c.status}`)),
    editable ? h('button', { type: 'button', id: 'card-edit', onclick: () => nav.edit(c) }, t('card.edit')) : null);
  const notice = editable ? null : h('p', { class: 'message notice' }, t('card.not_editable', { status: t(`status.${c.status}`) }));

  const identity = section('card-identity', t('card.identity'), dl([
    [t('field.iin'), c.iin], [t('field.doc_number'), c.docNumber], [t('field.birth_date'), fmtDate(c.birthDate)],
    [t('field.subject_category'), c.categoryId ? itemName(byId(cats.subjectCategories || [], c.categoryId)) : null],
    [t('field.address'), c.address], [t('field.notes'), c.notes], ['', t('card.created', { date: fmtDate(c.createdAt) })],
  ]));
  const contacts = section('card-contacts', t('card.contacts'), dl([
    [t('col.email'), c.emails.join(', ')], [t('col.phone'), c.phones.join(', ')],
  ]));

  return h('div', {}, head, notice,
    h('div', { class: 'card-columns' },
      h('div', {}, identity, contacts, holdingsSection(cats, c, editable, reload), requestsSection(app, c),
        blockingSection(c, null, reload), erasureSection(app, c, null, reload)),
      h('div', {}, consentsSection(cats, c, editable, reload), refusalsSection(c, editable, reload),
        transfersSection(app, cats, c, editable))));
}

function holdingsSection(cats, c, editable, reload) {
  const rows = c.holdings.map((x) => h('tr', {},
    h('td', {}, itemName(byId(cats.categories, x.categoryId))),
    h('td', {}, itemName(byId(cats.purposes, x.purposeId))),
    h('td', {}, t(`basis.${x.basis}`), x.basisRef ? h('div', { class: 'muted small' }, x.basisRef) : null),
    h('td', {}, x.source),
    h('td', { class: 'date' }, fmtDate(x.since)),
    h('td', {}, x.until ? fmtDate(x.until) : '—'),
    h('td', {}, editable ? h('button', { type: 'button', class: 'link', onclick: async () => { await api.removeHolding(x.id); reload(); } }, t('holding.remove')) : null)));
  const table = c.holdings.length
    ? h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ['holding.category', 'holding.purpose', 'holding.basis', 'holding.source', 'holding.since', 'holding.until'].map((k) => h('th', {}, t(k).split(' (')[0])), h('th', {}))), h('tbody', {}, rows))
    : h('p', { class: 'muted' }, t('card.holdings.none'));
  let form = null;
  if (editable) {
    const box = messageBox('holding-error');
    const f = {
      category: h('select', { id: 'holding-category' }, options(cats.categories.map((x) => [x.id, itemName(x)]))),
      purpose: h('select', { id: 'holding-purpose' }, options(cats.purposes.map((x) => [x.id, itemName(x)]))),
      basis: h('select', { id: 'holding-basis' }, options(vocab.holdingBases.map((b) => [b, t(`basis.${b}`)]))),
      source: h('input', { id: 'holding-source' }),
      since: h('input', { id: 'holding-since', value: todayText() }),
      until: h('input', { id: 'holding-until', placeholder: 'ДД.ММ.ГГГГ' }),
    };
    form = h('form', { class: 'inline-form', id: 'holding-form' },
      ['category', 'purpose', 'basis', 'source', 'since', 'until'].map((k) => h('label', { class: 'field' }, h('span', {}, t(`holding.${k}`)), f[k])),
      box.el, h('button', { type: 'submit' }, t('holding.add')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api.addHolding(c.id, { categoryId: Number(f.category.value), purposeId: Number(f.purpose.value), basis: f.basis.value, source: f.source.value, since: f.since.value, until: f.until.value });
        reload();
      } catch (err) { showError(err, box); }
    });
  }
  return section('card-holdings', t('card.holdings'), table, form);
}

function consentsSection(cats, c, editable, reload) {
  const yes = (b) => t(b ? 'consent.yes' : 'consent.no');
  const items = c.consents.map((k) => {
    const purpose = itemName(byId(cats.purposes, k.purposeId));
    const actions = h('div', { class: 'consent-actions' });
    if (editable && k.state === 'active') {
      actions.appendChild(h('button', {
        type: 'button', class: 'withdraw', 'data-consent': k.id,
        onclick: () => replace(actions, withdrawForm(k, reload)),
      }, t('consent.withdraw')));
    }
    return h('li', { class: `consent state-${k.state}`, 'data-consent': k.id },
      h('div', { class: 'consent-head' },
        h('strong', {}, purpose),
        h('span', { class: `chip state-${k.state}` }, t(`consent.state.${k.state}`))),
      dl([
        [t('consent.granted_at'), `${fmtDate(k.grantedAt)} · ${t(`form.${k.form}`)}`],
        [t('consent.valid_until').split(' (')[0], k.validUntil ? fmtDate(k.validUntil) : null],
        [t('consent.policy'), k.policyVersion],
        [t('consent.third_parties'), yes(k.thirdParties)],
        [t('consent.cross_border'), k.crossBorder ? `${yes(true)}: ${k.countries}` : yes(false)],
        [t('consent.published'), yes(k.published)],
        [t('consent.data_list'), k.dataList],
        [t('consent.document_ref'), k.documentRef],
        [t('rep.given_by'), k.representative.name ? repText(k.representative) : null],
        ['', k.withdrawnAt ? t('consent.withdrawn_on', { date: fmtDate(k.withdrawnAt), channel: t(`channel.${k.withdrawalChannel}`) }) : null],
      ]),
      actions);
  });
  const list = c.consents.length ? h('ul', { class: 'consents', id: 'consent-list' }, items) : h('p', { class: 'muted' }, t('card.consents.none'));
  return section('card-consents', t('card.consents'), list, editable ? consentForm(cats, c, reload) : null);
}

/** "Name (parent)", with the power of attorney for an attorney. */
export function repText(r) {
  const relation = r.relation ? t(`relation.${r.relation}`) : '';
  const power = r.document ? `, ${t('rep.power', { number: r.document, date: fmtDate(r.documentDate) })}` : '';
  return `${r.name}${relation ? ` (${relation}${power})` : ''}`;
}

function withdrawForm(k, reload) {
  const box = messageBox(`withdraw-error-${k.id}`);
  const on = h('input', { id: 'withdraw-on', value: todayText() });
  const channel = h('select', { id: 'withdraw-channel' }, options(vocab.withdrawalChannels.map((x) => [x, t(`channel.${x}`)])));
  const form = h('form', { class: 'inline-form', id: 'withdraw-form' },
    h('label', { class: 'field' }, h('span', {}, t('withdraw.date')), on),
    h('label', { class: 'field' }, h('span', {}, t('channel.label')), channel),
    box.el, h('button', { type: 'submit', class: 'primary', id: 'withdraw-confirm' }, t('consent.withdraw')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try { await api.withdrawConsent(k.id, on.value, channel.value); reload(); } catch (err) { showError(err, box); }
  });
  return form;
}

function consentForm(cats, c, reload) {
  const box = messageBox('consent-error');
  const f = {
    purpose: h('select', { id: 'consent-purpose' }, options(cats.purposes.map((x) => [x.id, itemName(x)]))),
    granted_at: h('input', { id: 'consent-granted', value: todayText() }),
    form: h('select', { id: 'consent-form' }, options(vocab.consentForms.map((x) => [x, t(`form.${x}`)]))),
    policy: h('select', { id: 'consent-policy' }, options([['', '—'], ...cats.policyVersions.map(([id, v]) => [id, v])])),
    valid_until: h('input', { id: 'consent-until', placeholder: 'ДД.ММ.ГГГГ' }),
    third_parties: h('input', { type: 'checkbox', id: 'consent-third' }),
    cross_border: h('input', { type: 'checkbox', id: 'consent-cross' }),
    countries: h('input', { id: 'consent-countries' }),
    published: h('input', { type: 'checkbox', id: 'consent-published' }),
    data_list: h('input', { id: 'consent-data' }),
    document_ref: h('input', { id: 'consent-doc' }),
    // Given for the person by a representative (a minor's parent or guardian, an attorney).
    rep_name: h('input', { id: 'consent-rep-name' }),
    rep_relation: h('select', { id: 'consent-rep-relation' }, options([['', '—'], ...vocab.representativeRelations.map((x) => [x, t(`relation.${x}`)])])),
    rep_document: h('input', { id: 'consent-rep-document' }),
    rep_date: h('input', { id: 'consent-rep-date', placeholder: 'ДД.ММ.ГГГГ' }),
  };
  const label = (k, key = `consent.${k}`) => h('label', { class: f[k].type === 'checkbox' ? 'check' : 'field' },
    f[k].type === 'checkbox' ? [f[k], h('span', {}, t(key))] : [h('span', {}, t(key)), f[k]]);
  const form = h('form', { class: 'inline-form consent-form', id: 'consent-form-el' },
    h('h4', {}, t('consent.new')),
    label('purpose'), label('granted_at'), label('form', 'consent.form'), label('policy', 'consent.policy'), label('valid_until'),
    label('data_list'), label('document_ref'), label('third_parties'), label('cross_border'), label('countries'), label('published'),
    h('fieldset', { class: 'rep' }, h('legend', {}, t('rep.legend')),
      label('rep_name', 'rep.name'), label('rep_relation', 'rep.relation'), label('rep_document', 'rep.document'), label('rep_date', 'rep.document_date'),
      h('p', { class: 'hint' }, t('rep.minor_hint'))),
    box.el, h('button', { type: 'submit', class: 'primary', id: 'consent-submit' }, t('consent.record')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.show('');
    try {
      await api.recordConsent(c.id, {
        purposeId: Number(f.purpose.value), grantedAt: f.granted_at.value, form: f.form.value,
        policyVersionId: f.policy.value ? Number(f.policy.value) : null, validUntil: f.valid_until.value,
        thirdParties: f.third_parties.checked, crossBorder: f.cross_border.checked, countries: f.countries.value,
        published: f.published.checked, dataList: f.data_list.value, documentRef: f.document_ref.value,
        representative: { name: f.rep_name.value, relation: f.rep_relation.value || null, document: f.rep_document.value, documentDate: f.rep_date.value },
      });
      reload();
    } catch (err) { showError(err, box, { countries: f.countries }); }
  });
  return form;
}

function refusalsSection(c, editable, reload) {
  const list = c.refusals.length
    ? h('ul', { class: 'plain', id: 'refusal-list' }, c.refusals.map((r) => h('li', {}, t('refusal.on', { date: fmtDate(r.refusedAt), channel: t(`channel.${r.channel}`) }))))
    : h('p', { class: 'muted' }, t('card.refusals.none'));
  let form = null;
  if (editable) {
    const box = messageBox('refusal-error');
    const channel = h('select', { id: 'refusal-channel' }, options(vocab.withdrawalChannels.map((x) => [x, t(`channel.${x}`)])));
    form = h('form', { class: 'inline-form', id: 'refusal-form' },
      h('label', { class: 'field' }, h('span', {}, t('channel.label')), channel), box.el,
      h('button', { type: 'submit', id: 'refusal-submit' }, t('refusal.record')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try { await api.refuseMarketing(c.id, '', channel.value); reload(); } catch (err) { showError(err, box); }
    });
  }
  return section('card-refusals', t('card.refusals'), list, form);
}

function requestsSection(app, c) {
  const list = c.requests.length
    ? h('table', { class: 'grid' }, h('tbody', {}, c.requests.map((r) => h('tr', {
      class: 'clickable', 'data-request': r.id, onclick: () => app.openRequest?.(r.id),
    },
      h('td', { class: 'mono' }, `№${r.id}`), h('td', {}, t(`kind.${r.kind}`)), h('td', {}, t(`rstatus.${r.status}`)),
      h('td', { class: 'date' }, fmtDate(r.receivedOn)), h('td', { class: 'date' }, fmtDate(r.dueOn))))))
    : h('p', { class: 'muted' }, t('card.requests.none'));
  return section('card-requests', t('card.requests'), list);
}

/**
 * Block or unblock (Law 94-V Art. 1: processing suspended): a stated basis, a confirmation that
 * says what follows, one transaction. `requestId`: when carried out for a request.
 */
export function blockingSection(c, requestId, reload) {
  if (c.status !== 'active' && c.status !== 'blocked') return null;
  const blocking = c.status === 'active';
  const box = messageBox('block-error');
  const basis = h('textarea', { id: 'block-basis', rows: '2' });
  const confirm = h('div', { class: 'confirm', id: 'block-confirm', hidden: true },
    h('p', {}, t(blocking ? 'block.confirm' : 'unblock.confirm')),
    h('button', { type: 'button', class: 'primary', id: 'block-yes', onclick: async () => {
      box.show('');
      try {
        if (blocking) await api.subjectBlock(c.id, basis.value, requestId);
        else await api.subjectUnblock(c.id, basis.value, requestId);
        await reload();
      } catch (err) { confirm.hidden = true; box.show(err.code === 'invalid' ? t('block.basis_required') : errorText(err)); }
    } }, t(blocking ? 'block.yes' : 'unblock.yes')),
    h('button', { type: 'button', onclick: () => { confirm.hidden = true; } }, t('letter.cancel')));
  return section('card-blocking', t(blocking ? 'block.title' : 'unblock.title'),
    h('label', { class: 'field', for: 'block-basis' }, h('span', {}, t(blocking ? 'block.basis' : 'unblock.reason')), basis),
    box.el,
    h('button', { type: 'button', id: 'block-open', onclick: () => { confirm.hidden = false; } }, t(blocking ? 'block.do' : 'unblock.do')),
    confirm);
}
