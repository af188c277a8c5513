// The only module that talks to the Rust side: one function per command. Errors arrive as
// {code, message}; callers branch on `code`.

import { invoke } from '../vendor/tauri-api/core.js';

function call(cmd, args) {
  return invoke(cmd, args).catch((err) => {
    throw (err && typeof err === 'object' && err.code) ? err : { code: 'unknown', message: String(err) };
  });
}

export const appState = () => call('app_state');
export const isUnlocked = () => call('is_unlocked');
export const setLanguage = (language) => call('set_language', { language });
export const setIdleMinutes = (minutes) => call('set_idle_minutes', { minutes });
export const passphraseStrength = (passphrase) => call('passphrase_strength', { passphrase });
export const createVault = (passphrase, confirm) => call('create_vault', { passphrase, confirm });
export const setupFinish = () => call('setup_finish');
export const jobProgress = () => call('job_progress');
export const jobCancel = () => call('job_cancel');
export const unlock = (passphrase) => call('unlock', { passphrase });
export const openDemo = () => call('open_demo');
export const chooseVaultFile = (title) => call('choose_vault_file', { title });
export const selectDefaultVault = () => call('select_default_vault');
export const lock = () => call('lock');
export const touch = () => call('touch');
export const status = () => call('status');
export const changePassphrase = (current, passphrase, confirm) =>
  call('change_passphrase', { current, passphrase, confirm });

// Registry
export const catalogs = () => call('catalogs');
export const searchSubjects = (query) => call('search_subjects', { query });
export const createSubject = (subject) => call('create_subject', { subject });
export const updateSubject = (id, subject, requestId = null) => call('update_subject', { id, subject, requestId });
export const subjectCard = (id) => call('subject_card', { id });
export const recordConsent = (subjectId, consent) => call('record_consent', { subjectId, consent });
export const withdrawConsent = (consentId, on, channel, requestId = null) =>
  call('withdraw_consent', { consentId, on, channel, requestId });
export const refuseMarketing = (subjectId, on, channel, requestId = null) =>
  call('refuse_marketing', { subjectId, on, channel, requestId });
export const addHolding = (subjectId, holding) => call('add_holding', { subjectId, holding });
export const removeHolding = (holdingId) => call('remove_holding', { holdingId });
export const refuseFromRequest = (requestId) => call('refuse_from_request', { requestId });
export const suppressionList = () => call('suppression_list');
export const importOpen = (title) => call('import_open', { title });
export const importRemap = (mapping) => call('import_remap', { mapping });
export const importCommit = (mapping, updateDuplicates, skipInvalid) =>
  call('import_commit', { mapping, updateDuplicates, skipInvalid });
export const exportSubjects = (title) => call('export_subjects', { title });
export const exportSuppression = (title) => call('export_suppression', { title });
export const cleanMailingList = (openTitle, saveTitle, requireConsent) =>
  call('clean_mailing_list', { openTitle, saveTitle, requireConsent });
export const journalRecent = (limit) => call('journal_recent', { limit });
export const journalVerify = () => call('journal_verify');
export const vaultCheck = (weekly) => call('vault_check', { weekly });
export const saveCatalogItem = (table, id, item) => call('save_catalog_item', { table, id, item });
export const addPolicyVersion = (version, effectiveFrom) => call('add_policy_version', { version, effectiveFrom });

// Requests, the calendar, the period report
export const requestList = (view, kind, offset, limit) => call('request_list', { view, kind, offset, limit });
export const requestGet = (id) => call('request_get', { id });
export const requestCreate = (request) => call('request_create', { request });
export const requestDuplicates = (subjectId, kind) => call('request_duplicates', { subjectId, kind });
export const requestStep = (id, step) => call('request_step', { id, step });
export const intakeOpenEml = (title) => call('intake_open_eml', { title });
export const intakePaste = (text) => call('intake_paste', { text });
export const calendarYear = (year) => call('calendar_year', { year });
export const calendarSet = (day, change, note) => call('calendar_set', { day, change, note });
export const calendarImport = (year, replace, title) => call('calendar_import', { year, replace, title });
export const calendarImportApply = (year, replace, rows) => call('calendar_import_apply', { year, replace, rows });
export const reportPeriod = (period) => call('report_period', { period });
export const reportExportCsv = (period, title) => call('report_export_csv', { period, title });
export const deadlineRules = () => call('deadline_rules');
export const deadlineRuleSet = (kind, count, unit, source) => call('deadline_rule_set', { kind, count, unit, source });
export const reportExportPdf = (period, title) => call('report_export_pdf', { period, title });
export const letterheadGet = () => call('letterhead_get');
export const letterheadSet = (head) => call('letterhead_set', { head });
export const letterheadLogoPick = (title) => call('letterhead_logo_pick', { title });
export const letterheadLogoRemove = () => call('letterhead_logo_remove');
export const letterKinds = (requestId) => call('letter_kinds', { requestId });
export const letterDraft = (source) => call('letter_draft', { source });
export const letterIssue = (source, edits) => call('letter_issue', { source, edits });
export const letterList = (q) => call('letter_list', { kind: q.kind ?? null, year: q.year ?? null, requestId: q.requestId ?? null, text: q.text ?? null, offset: q.offset ?? 0, limit: q.limit ?? 100 });
export const letterSave = (id, title) => call('letter_save', { id, title });
export const printers = () => call('printers');
export const letterPrint = (id, printer) => call('letter_print', { id, printer });
export const backupOverview = () => call('backup_overview');
export const backupExport = (title, passphrase, confirm) => call('backup_export', { title, passphrase, confirm });
export const backupVerify = (title, passphrase) => call('backup_verify', { title, passphrase });
export const backupRestore = (title, passphrase) => call('backup_restore', { title, passphrase });
export const backupPickFolder = (title) => call('backup_pick_folder', { title });
export const backupAutoSet = (settings) => call('backup_auto_set', { settings });
export const backupRestoreNew = (title, passphrase) => call('backup_restore_new', { title, passphrase });
export const subjectBlock = (subjectId, basis, requestId) => call('subject_block', { subjectId, basis, requestId: requestId ?? null });
export const erasurePreview = (action, subjectIds, keep) => call('erasure_preview', { action, subjectIds, keep });
export const erasureRun = (action, subjectIds, basis, requestId, keep, lang) => call('erasure_run', { action, subjectIds, basis, requestId: requestId ?? null, keep, lang });
export const subjectTombstone = (id) => call('subject_tombstone', { id });
export const retentionSweep = (offset, limit) => call('retention_sweep', { offset, limit });
export const retentionCarryOut = (action, keep, lang) => call('retention_carry_out', { action, keep, lang });
export const transferRecord = (t) => call('transfer_record', { t });
export const transferList = (subjectId) => call('transfer_list', { subjectId });
export const transfersExport = (title) => call('transfers_export', { title });
export const adequateCountries = () => call('adequate_countries');
export const adequateCountryAdd = (country) => call('adequate_country_add', { country });
export const adequateCountryRemove = (code) => call('adequate_country_remove', { code });
export const breachList = () => call('breach_list');
export const breachRegister = (breach) => call('breach_register', { breach });
export const breachUpdate = (id, breach) => call('breach_update', { id, breach });
export const breachNotified = (id, on, noticeRef) => call('breach_notified', { id, on, noticeRef });
export const breachClose = (id) => call('breach_close', { id });
export const requestsExport = (title) => call('requests_export', { title });
export const lettersRegisterExport = (title) => call('letters_register_export', { title });
export const journalExport = (title) => call('journal_export', { title });
export const subjectUnblock = (subjectId, basis, requestId) => call('subject_unblock', { subjectId, basis, requestId: requestId ?? null });
