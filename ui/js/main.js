// The page controller: which screen is shown, the language, and the idle lock.
import * as api from './api.js';
import { setLanguage, t, errorText, loadFallback } from './i18n.js';
import { replace } from './dom.js';
import { welcomeView } from './views/welcome.js';
import { unlockView } from './views/unlock.js';
import { shellView } from './views/shell.js';
import { setupView } from './views/setup.js';

const root = document.getElementById('app');
const TOUCH_EVERY_MS = 15000;

const app = {
  state: null,
  area: 'dashboard',
  lastActivity: Date.now(),
  lastTouch: 0,

  async start() {
    await loadFallback();
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
    window.addEventListener('keydown', (e) => {
      if (e.ctrlKey && (e.key === 'l' || e.key === 'L') && this.state?.unlocked) {
        e.preventDefault();
        this.lockNow();
      }
    });
    setInterval(() => {
      const s = this.state;
      if (!s?.unlocked) return;
      if (Date.now() - this.lastActivity >= s.idleMinutes * 60000) {
        this.lockNow(t('unlock.locked_idle', { n: t('minutes', { n: s.idleMinutes }) }));
      }
    }, 5000);
  },
};

app.start().catch((err) => {
  root.textContent = errorText(err);
});
