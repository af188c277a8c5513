// One message catalogue per language (ui/i18n/*.json). A message is a string with {name}
// placeholders, or an object of CLDR plural forms chosen by the `n` parameter.

const catalogues = {};
let current = 'ru';
let plural = new Intl.PluralRules('ru');

export const LANGUAGES = [
  { code: 'ru', name: 'Русский' },
  { code: 'kk', name: 'Қазақша' },
  { code: 'en', name: 'English' },
];

export async function setLanguage(code) {
  if (!catalogues[code]) {
    const res = await fetch(`./i18n/${code}.json`);
    catalogues[code] = await res.json();
  }
  current = code;
  plural = new Intl.PluralRules(code);
  document.documentElement.lang = code;
}

export function language() {
  return current;
}

export function t(key, params = {}) {
  let msg = catalogues[current]?.[key] ?? catalogues.en?.[key] ?? key;
  if (typeof msg === 'object') {
    const n = Number(params.n ?? 0);
    msg = msg[plural.select(n)] ?? msg.other ?? '';
  }
  return msg.replace(/\{(\w+)\}/g, (_, name) =>
    name in params ? String(params[name]) : `{${name}}`);
}

/** The localized text of an error from a command: {code, message}. */
export function errorText(err) {
  const code = err?.code;
  // An `invalid` error that no form marks field by field (e.g. the letterhead missing when an act
  // is to be issued) says what is wrong rather than "correct the marked fields".
  if (code === 'invalid' && err.issues?.length) {
    const known = err.issues.filter((i) => catalogues[current]?.[`issue.${i.code}`]);
    if (known.length === err.issues.length) return known.map((i) => t(`issue.${i.code}`)).join(' ');
  }
  // The error's own fields (a cell's place, never its content) fill the sentence's blanks.
  if (code && catalogues[current]?.[`error.${code}`]) return t(`error.${code}`, err);
  return err?.message || t('error.unknown');
}

export async function loadFallback() {
  if (!catalogues.en) await setLanguage('en');
}
