// The main window after unlock: navigation on the left, the chosen area on the right.
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { dashboardView } from './screens/dashboard.js';
import { settingsView } from './screens/settings.js';
import { subjectsView } from './screens/subjects.js';
import { journalView } from './screens/journal.js';
import { requestsView } from './screens/requests.js';
import { lettersView } from './screens/letters.js';
import { backupsView } from './screens/backups.js';
import { retentionView } from './screens/retention.js';
import { transfersView } from './screens/transfers.js';
import { breachesView } from './screens/breaches.js';
import * as api from './api.js';
import { brand, languageSelect } from './widgets/common.js';
import { helpButton } from './sections/help.js';

export const AREAS = ['dashboard', 'subjects', 'requests', 'letters', 'retention', 'transfers', 'breaches', 'journal', 'backups', 'settings'];

function pendingView(area) {
  return h('section', { class: 'area pending', id: `area-${area}` },
    h('h1', {}, t(`nav.${area}`)),
    h('p', { class: 'lead' }, t(`area.${area}.about`)),
    h('p', { class: 'pending-note' }, t('area.pending')));
}

export function shellView(state, app, area = 'dashboard') {
  const content = h('div', { class: 'content', id: 'content' });
  const navButtons = AREAS.map((a) => h('button', {
    type: 'button', class: 'nav-item', 'data-area': a, id: `nav-${a}`,
    'aria-current': a === area ? 'page' : false,
    onclick: () => show(a),
  }, t(`nav.${a}`)));

  /** `place`: where inside the area, e.g. `{ request: 12 }` or `{ subject: 3 }`. */
  function show(a, place = null) {
    area = a;
    app.area = a;
    for (const b of navButtons) {
      if (b.dataset.area === a) b.setAttribute('aria-current', 'page');
      else b.removeAttribute('aria-current');
    }
    let view;
    if (a === 'dashboard') view = dashboardView(app);
    else if (a === 'settings') view = settingsView(state, app);
    else if (a === 'subjects') view = subjectsView(app, place);
    else if (a === 'requests') view = requestsView(app, place);
    else if (a === 'journal') view = journalView(app);
    else if (a === 'letters') view = lettersView(app);
    else if (a === 'backups') view = backupsView(app);
    else if (a === 'transfers') view = transfersView(app);
    else if (a === 'retention' || a === 'breaches') {
      // Both name categories and purposes: the catalogues come first.
      view = h('div', { class: 'area', id: `area-${a}-loading` });
      const holder = view;
      api.catalogs().then((cats) => replace(holder, a === 'retention' ? retentionView(app, cats) : breachesView(app, cats)))
        .catch((err) => app.handleError(err, holder));
    }
    else view = pendingView(a);
    replace(content, view);
  }

  const banner = state.isDemo
    ? h('div', { class: 'demo-banner', id: 'demo-banner', role: 'note' }, t('shell.demo'))
    : null;

  const root = h('div', { class: 'shell' },
    h('nav', { class: 'sidebar', 'aria-label': 'main' }, brand(), h('div', { class: 'nav-list' }, navButtons)),
    h('div', { class: 'main' },
      banner,
      h('header', { class: 'topbar' },
        h('span', { class: 'path small', title: state.vaultPath }, state.vaultPath),
        h('div', { class: 'topbar-actions' },
          languageSelect((code) => app.changeLanguage(code)),
          helpButton(() => app.helpTopic()),
          h('button', { id: 'lock-button', type: 'button', title: t('shell.lock.hint'), 'aria-keyshortcuts': 'Control+L', onclick: () => app.lockNow() },
            t('shell.lock')))),
      content));
  app.go = show;
  app.openSubject = (id) => show('subjects', { subject: id });
  app.openRequest = (id) => show('requests', { request: id });
  show(area);
  return root;
}
