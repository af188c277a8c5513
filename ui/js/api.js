// The only module that talks to the Rust side: one function per command. Errors arrive as
// {code, message}; callers branch on `code`.

import { invoke } from '../vendor/tauri-api/core.js';

function call(cmd, args) {
  return invoke(cmd, args).catch((err) => {
    throw (err && typeof err === 'object' && err.code) ? err : { code: 'unknown', message: String(err) };
  });
}

export const appState = () => call('app_state');
export const setLanguage = (language) => call('set_language', { language });
export const setIdleMinutes = (minutes) => call('set_idle_minutes', { minutes });
export const passphraseStrength = (passphrase) => call('passphrase_strength', { passphrase });
export const createVault = (passphrase, confirm) => call('create_vault', { passphrase, confirm });
export const unlock = (passphrase) => call('unlock', { passphrase });
export const openDemo = () => call('open_demo');
export const chooseVaultFile = (title) => call('choose_vault_file', { title });
export const selectDefaultVault = () => call('select_default_vault');
export const lock = () => call('lock');
export const touch = () => call('touch');
export const status = () => call('status');
export const changePassphrase = (current, passphrase, confirm) =>
  call('change_passphrase', { current, passphrase, confirm });
