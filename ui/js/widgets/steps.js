// The first run's steps: how many, and the header that says which one this is (the welcome screen
// is step 1, the wizard the rest).
import { h } from '../dom.js';
import { t } from '../i18n.js';

export const SETUP_STEPS = 4;

/** "Step n of 4" with a progress bar that screen readers announce. */
export function stepHeader(n, title) {
  return [
    h('p', { class: 'step-count', id: 'setup-step' }, t('setup.step', { n, total: SETUP_STEPS })),
    h('div', { class: 'step-bar', role: 'progressbar', 'aria-valuemin': '1', 'aria-valuemax': String(SETUP_STEPS), 'aria-valuenow': String(n), 'aria-label': t('setup.progress') },
      h('span', { style: false, class: `step-fill step-${n}` })),
    h('h2', { tabindex: '-1', class: 'step-title' }, title),
  ];
}
