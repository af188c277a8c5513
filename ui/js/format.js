// Small formatting helpers shared by the views.
import { language } from './i18n.js';

/** '2026-11-25' or an RFC 3339 time → '25.11.2026'. */
export function fmtDate(iso) {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/** The name of a catalogue entry in the interface language. */
export function itemName(item) {
  if (!item) return '';
  const i = { ru: 0, kk: 1, en: 2 }[language()] ?? 0;
  return item.names[i] || item.names[0];
}

export function byId(list, id) {
  return list.find((x) => x.id === id);
}

/** Today as the date fields take it: 'DD.MM.YYYY'. */
export function todayText() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getDate())}.${p(d.getMonth() + 1)}.${d.getFullYear()}`;
}
