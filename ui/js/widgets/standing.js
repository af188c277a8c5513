// Where a request or a breach notice stands against its due date ({kind, days} from the core's
// `Standing`), as words and as a coloured chip: the request lists, the dashboard and the breaches
// register show the same one.
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** "due in 2 working days" / "due today" / "overdue by 1 working day". */
export function standingText(s) {
  if (!s) return '';
  if (s.kind === 'today') return t('standing.today');
  if (s.kind === 'overdue') return s.days > 0 ? t('standing.overdue', { n: s.days }) : t('standing.overdue_now');
  return t('standing.in', { n: s.days });
}

export function standingChip(s) {
  if (!s) return null;
  const tone = { overdue: 'state-withdrawn', today: 'state-expired', in: 'state-active' }[s.kind];
  return h('span', { class: `chip ${tone}` }, standingText(s));
}
