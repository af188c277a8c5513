// The mail folders Derbes reads (issue 19): a Maildir or an mbox that the office's mail program
// keeps on disk. Read on unlock and on the button; what is new and carries a policy marker (or was
// written to the operator's address) is registered; the rest waits here to be taken in or
// dismissed as "not a request".
import { h, replace } from '../dom.js';
import { t, errorText } from '../i18n.js';
import * as api from '../api.js';
import { fmtDate } from '../format.js';
import { messageBox } from '../widgets/common.js';

const PAGE = 100;

/** `takeIn(drafted, onRegistered)`: shows a waiting message as a pre-filled request form. */
export function mailFolders(app, nav, takeIn) {
  const folders = h('ul', { class: 'mail-folders', id: 'mail-folders' });
  const waiting = h('div', { id: 'mail-waiting' });
  const message = messageBox('mail-folders-message', 'notice');
  const monthAgo = new Date(Date.now() - 30 * 86400000);
  const since = h('input', { id: 'mail-since', value: fmtDate(monthAgo.toISOString().slice(0, 10)), placeholder: 'ДД.ММ.ГГГГ' });

  async function load() {
    try {
      const list = await api.mailSources();
      replace(folders, list.length ? list.map((s) => h('li', { 'data-id': s.id },
        h('code', {}, s.path), ' ',
        h('span', { class: 'muted small' }, `${t(`mail.format.${s.format}`)} · `,
          s.readAt ? t('mail.last_read', { date: fmtDate(s.readAt.slice(0, 10)) }) : t('mail.never_read'),
          ' · ', t('mail.waiting_n', { n: s.waiting })), ' ',
        h('button', { type: 'button', class: 'link small', id: `mail-remove-${s.id}`, onclick: async () => {
          try { await api.mailRemoveSource(s.id); load(); } catch (err) { message.show(errorText(err)); }
        } }, t('mail.remove'))))
        : h('li', { class: 'muted' }, t('mail.none')));
      await loadWaiting();
    } catch (err) { message.show(errorText(err)); }
  }

  async function loadWaiting() {
    const page = await api.mailWaiting(0, PAGE);
    if (!page.total) { replace(waiting, h('p', { class: 'muted', id: 'mail-waiting-none' }, t('mail.waiting.none'))); return; }
    replace(waiting,
      h('h3', {}, t('mail.waiting.title', { n: page.total })),
      h('table', { class: 'list mail-waiting' },
        h('thead', {}, h('tr', {}, h('th', {}, t('mail.col.sent')), h('th', {}, t('mail.col.sender')), h('th', {}, t('mail.col.subject')), h('th', {}))),
        h('tbody', {}, page.rows.map((w) => h('tr', { id: `mail-w-${w.id}` },
          h('td', {}, w.sentOn ? fmtDate(w.sentOn) : '—'),
          h('td', {}, w.sender || '—'),
          h('td', {}, w.subjectLine || '—', w.errorCode ? h('div', { class: 'field-error' }, t('mail.unreadable'), ' ', errorText({ code: w.errorCode })) : null),
          h('td', { class: 'actions' },
            w.errorCode === 'message.malformed' ? null : h('button', { type: 'button', id: `mail-take-${w.id}`, onclick: async () => {
              try {
                const d = await api.mailDraft(w.id);
                takeIn(d, () => loadWaiting());
              } catch (err) { message.show(errorText(err)); }
            } }, t('mail.take')),
            h('button', { type: 'button', class: 'link', id: `mail-dismiss-${w.id}`, onclick: async () => {
              try { await api.mailDismiss(w.id); await loadWaiting(); } catch (err) { message.show(errorText(err)); }
            } }, t('mail.dismiss'))))))),
      page.total > PAGE ? h('p', { class: 'muted small' }, t('mail.waiting.more', { n: page.total - PAGE })) : null);
  }

  function add(format) {
    return async () => {
      message.show('');
      try {
        const id = await api.mailAddSource(format, since.value, t(`dialog.${format}`));
        if (id === null || id === undefined) return;
        await read();
      } catch (err) { message.show(errorText(err)); }
    };
  }

  async function read() {
    message.show('');
    try {
      const results = await api.mailRead();
      const lines = [];
      for (const r of results) {
        if (r.error) { lines.push(h('p', { class: 'message error' }, t('mail.read.failed', { id: r.sourceId }), ' ', errorText(r.error))); continue; }
        const o = r.outcome;
        if (!o.registered.length && !o.listed && !o.unreadable) continue;
        lines.push(h('p', {}, t('mail.read.result', { n: o.registered.length }), ' ', t('mail.read.listed', { n: o.listed + o.unreadable }), ' ',
          o.registered.map((id) => h('button', { type: 'button', class: 'link', onclick: () => nav.open(id) }, `→ №${id} `))));
      }
      if (!lines.length) lines.push(h('p', {}, t('mail.read.nothing')));
      message.show('');
      replace(result, lines);
      await load();
    } catch (err) { message.show(errorText(err)); }
  }
  const result = h('div', { id: 'mail-read-result', role: 'status' });

  load();
  return h('section', { class: 'card mail-folder-card', id: 'mail-folder-card' },
    h('h2', {}, t('mail.title')),
    h('p', { class: 'lead' }, t('mail.lead')),
    folders,
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'primary', id: 'mail-read', onclick: read }, t('mail.read')),
      h('label', { class: 'field inline', for: 'mail-since' }, h('span', {}, t('mail.since')), since),
      h('button', { type: 'button', id: 'mail-add-maildir', onclick: add('maildir') }, t('mail.add.maildir')),
      h('button', { type: 'button', id: 'mail-add-mbox', onclick: add('mbox') }, t('mail.add.mbox'))),
    message.el, result, waiting);
}
