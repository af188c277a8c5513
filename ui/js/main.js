// The page controller: which screen is shown, the language, and the idle lock.
import * as api from './api.js';
import { setLanguage, t, errorText, loadFallback } from './i18n.js';
import { replace } from './dom.js';
import { welcomeView } from './screens/welcome.js';
import { unlockView } from './screens/unlock.js';
import { shellView } from './frame.js';
import { setupView } from './screens/setup.js';
import { openHelp } from './sections/help.js';
import { loadVocab } from './vocab.js';

const root = document.getElementById('app');
const TOUCH_EVERY_MS = 15000;

const app = {
  state: null,
  area: 'dashboard',
  lastActivity: Date.now(),
  lastTouch: 0,

  async start() {
    await Promise.all([loadFallback(), loadVocab()]);
    this.state = await api.appState();
    await setLanguage(this.state.language);
    this.render();
    this.watchActivity();
  },

  render(notice = '') {
    const s = this.state;
    let view;
    if (s.unlocked && s.setupPending) view = setupView(this);
    else if (s.unlocked) view = shellView(s, this, this.area);
    else if (s.vaultExists) view = unlockView(s, this, notice);
    else view = welcomeView(s, this);
    replace(root, view);
    document.title = s.isDemo ? `Derbes — DEMO` : 'Derbes';
    const focus = root.querySelector('[autofocus]');
    if (focus) focus.focus();
  },

  enter(state) {
    this.state = state;
    this.area = 'dashboard';
    this.setupStep = null;
    this.lastActivity = Date.now();
    this.render();
    // The weekly live check (issue 16), off the first paint; a bad result shows on the dashboard.
    if (state.unlocked && !state.setupPending) {
      setTimeout(() => {
        if (!this.state?.unlocked) return;
        api.vaultCheck(true).then((r) => {
          if (r && !r.good && this.area === 'dashboard') this.render();
        }).catch((err) => console.warn('check', err.code));
      }, 1500);
    }
  },

  async changeLanguage(code) {
    try {
      this.state = await api.setLanguage(code);
      await setLanguage(code);
    } catch (err) {
      console.warn('language', err.code);
    }
    this.render();
  },

  async lockNow(notice = '') {
    this.state = await api.lock();
    this.area = 'dashboard';
    this.render(notice);
  },

  async chooseFile(box) {
    try {
      this.state = await api.chooseVaultFile(t('dialog.open_vault'));
      this.render();
    } catch (err) {
      box.show(errorText(err));
    }
  },

  /** A command failed: a locked vault goes back to the unlock screen, anything else is shown. */
  async handleError(err, el) {
    if (err.code === 'vault.locked') {
      this.state = await api.appState();
      this.render(t('error.vault.locked'));
      return;
    }
    if (el) el.textContent = errorText(err);
  },

  /** The help topic of what is on screen. */
  helpTopic() {
    const s = this.state;
    if (!s?.unlocked) return s?.vaultExists ? 'unlock' : 'welcome';
    return s.setupPending ? 'setup' : this.area;
  },

  /** Keyboard shortcuts (listed in the help and in the buttons' tooltips). */
  shortcut(e) {
    const open = document.querySelector('dialog[open]');
    if (e.key === 'F1') {
      e.preventDefault();
      if (!open) openHelp(this.helpTopic());
      return;
    }
    const ctrl = e.ctrlKey && !e.altKey && !e.metaKey;
    const inShell = this.state?.unlocked && !this.state.setupPending && !open && this.go;
    const key = e.key.toLowerCase();
    // Also on a Russian or Kazakh keyboard layout: the physical key, whatever letter it types.
    const code = e.code;
    if (ctrl && (key === 'l' || code === 'KeyL') && this.state?.unlocked) {
      e.preventDefault();
      this.lockNow();
    } else if (ctrl && (key === 'f' || code === 'KeyF') && inShell) {
      e.preventDefault();
      if (this.area !== 'subjects') this.go('subjects');
      document.getElementById('subject-search')?.focus();
    } else if (ctrl && (key === 'n' || code === 'KeyN') && inShell) {
      e.preventDefault();
      if (this.area !== 'requests') this.go('requests');
      document.getElementById('rtab-new')?.click();
      document.getElementById('request-subject-search')?.focus();
    }
  },

  watchActivity() {
    const mark = () => {
      this.lastActivity = Date.now();
      if (this.state?.unlocked && this.lastActivity - this.lastTouch > TOUCH_EVERY_MS) {
        this.lastTouch = this.lastActivity;
        api.touch().then((stillOpen) => {
          if (!stillOpen && this.state.unlocked) this.handleError({ code: 'vault.locked' });
        });
      }
    };
    for (const ev of ['keydown', 'mousedown', 'mousemove', 'wheel', 'touchstart']) {
      window.addEventListener(ev, mark, { passive: true });
    }
    window.addEventListener('keydown', (e) => this.shortcut(e));
    setInterval(() => {
      const s = this.state;
      if (!s?.unlocked) return;
      if (Date.now() - this.lastActivity >= s.idleMinutes * 60000) {
        this.lockNow(t('unlock.locked_idle', { n: t('minutes', { n: s.idleMinutes }) }));
        return;
      }
      // The shell locks by itself on sleep and screen lock (and by its boot-time idle clock):
      // the page asks, without counting as activity, and leaves the data at once.
      api.isUnlocked().then(async (open) => {
        if (!open && this.state?.unlocked) {
          this.state = await api.appState();
          this.render(t('unlock.locked_sleep'));
        }
      }).catch(() => {});
    }, 2000);
  },
};

app.start().catch((err) => {
  root.textContent = errorText(err);
});
