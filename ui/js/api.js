// The only module that talks to the Rust side: one function per command. Errors arrive as
// {code, message}; callers branch on `code`.

import { invoke } from '../vendor/tauri-api/core.js';

function call(cmd, args) {
  return invoke(cmd, args).catch((err) => {
    throw (err && typeof err === 'object' && err.code) ? err : { code: 'unknown', message: String(err) };
  });
}

export const appState = () => call('app_state');
export const vocabList = () => call('vocab_list');
export const isUnlocked = () => call('vault_is_unlocked');
export const setLanguage = (language) => call('prefs_set_language', { language });
export const setIdleMinutes = (minutes) => call('prefs_set_idle_minutes', { minutes });
export const passphraseStrength = (passphrase) => call('passphrase_strength', { passphrase });
export const createVault = (passphrase, confirm) => call('vault_create', { passphrase, confirm });
export const setupFinish = () => call('setup_finish');
export const jobProgress = () => call('job_progress');
export const jobCancel = () => call('job_cancel');
export const unlock = (passphrase) => call('vault_unlock', { passphrase });
export const openDemo = () => call('vault_open_demo');
export const chooseVaultFile = (title) => call('vault_choose_file', { title });
export const selectDefaultVault = () => call('vault_select_default');
export const lock = () => call('vault_lock');
export const touch = () => call('session_touch');
export const status = () => call('vault_status');
export const changePassphrase = (current, passphrase, confirm) =>
  call('vault_change_passphrase', { current, passphrase, confirm });
// Mail folders (issue 19): a Maildir or an mbox the mail program keeps, read for requests.
export const mailSources = () => call('mail_sources');
export const mailAddSource = (format, since, title) => call('mail_add_source', { format, since, title });
export const mailRemoveSource = (id) => call('mail_remove_source', { id });
export const mailRead = () => call('mail_read');
export const mailWaiting = (offset, limit) => call('mail_waiting', { offset, limit });
export const mailDraft = (id) => call('mail_draft', { id });
export const mailDismiss = (id) => call('mail_dismiss', { id });

// Registry
export const catalogs = () => call('catalog_list');
export const searchSubjects = (query) => call('subject_search', { query });
export const bulkPreview = (selection, change) => call('bulk_preview', { selection, change });
export const bulkRun = (selection, change) => call('bulk_run', { selection, change });
export const createSubject = (subject) => call('subject_create', { subject });
export const updateSubject = (id, subject, requestId = null) => call('subject_update', { id, subject, requestId });
export const subjectCard = (id) => call('subject_card', { id });
export const recordConsent = (subjectId, consent) => call('consent_record', { subjectId, consent });
export const withdrawConsent = (consentId, on, channel, requestId = null) =>
  call('consent_withdraw', { consentId, on, channel, requestId });
export const refuseMarketing = (subjectId, on, channel, requestId = null) =>
  call('marketing_refuse', { subjectId, on, channel, requestId });
export const addHolding = (subjectId, holding) => call('holding_add', { subjectId, holding });
export const removeHolding = (holdingId) => call('holding_remove', { holdingId });
export const refuseFromRequest = (requestId) => call('marketing_refuse_from_request', { requestId });
export const suppressionList = () => call('suppression_list');
export const importOpen = (title) => call('import_open', { title });
export const importRemap = (mapping, addUnknown = false) => call('import_remap', { mapping, addUnknown });
export const importCommit = (mapping, updateDuplicates, skipInvalid, addUnknown = false) =>
  call('import_commit', { mapping, options: { duplicates: updateDuplicates ? 'update' : 'skip', skipInvalid, addUnknown } });
export const exportSubjects = (title) => call('subjects_export', { title });
export const exportSuppression = (title) => call('suppression_export', { title });
export const cleanMailingList = (openTitle, saveTitle, requireConsent) =>
  call('mailing_list_clean', { openTitle, saveTitle, requireConsent });
export const journalRecent = (limit) => call('journal_recent', { limit });
export const journalVerify = () => call('journal_verify');
export const vaultCheck = (weekly) => call('vault_check', { weekly });
export const saveCatalogItem = (table, id, item) => call('catalog_item_save', { table, id, item });
export const addPolicyVersion = (version, effectiveFrom) => call('policy_version_add', { version, effectiveFrom });
export const starterApply = (kit) => call('catalog_starter_apply', { kit });
export const setCategoryRetention = (retention, remove = false) => call('catalog_retention_set', { retention, remove });

// Requests, the calendar, the period report
export const requestList = (view, kind, offset, limit) => call('request_list', { view, kind, offset, limit });
export const requestGet = (id) => call('request_get', { id });
export const requestSearch = (query) => call('request_search', { query });
export const requestImportOpen = (title) => call('request_import_open', { title });
export const requestImportCommit = (skipInvalid) => call('request_import_commit', { skipInvalid });
export const requestEdit = (id, edit) => call('request_edit', { id, edit });
export const requestAttach = (id, subjectId) => call('request_attach', { id, subjectId });
export const requestSubjectDraft = (id) => call('request_subject_draft', { id });
export const requestCreateSubject = (id, subject) => call('request_create_subject', { id, subject });
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
export const deadlineRules = () => call('deadline_rule_list');
export const deadlineRuleSet = (kind, count, unit, source) => call('deadline_rule_set', { kind, count, unit, source });
export const reportExportPdf = (period, title) => call('report_export_pdf', { period, title });
export const letterheadGet = () => call('letterhead_get');
export const letterheadSet = (head) => call('letterhead_set', { head });
export const letterheadLogoPick = (title) => call('letterhead_logo_pick', { title });
export const letterheadLogoRemove = () => call('letterhead_logo_remove');
export const letterKinds = (requestId) => call('letter_kind_list', { requestId });
export const letterDraft = (source) => call('letter_draft', { source });
export const letterIssue = (source, edits) => call('letter_issue', { source, edits });
export const letterList = (q) => call('letter_list', { kind: q.kind ?? null, year: q.year ?? null, requestId: q.requestId ?? null, text: q.text ?? null, offset: q.offset ?? 0, limit: q.limit ?? 100 });
export const letterSave = (id, title) => call('letter_save', { id, title });
export const printers = () => call('printer_list');
export const letterPrint = (id, printer) => call('letter_print', { id, printer });
export const letterMail = (id) => call('letter_mail', { id });
// The wording of documents, in versions (issue 19).
export const templateGet = (kind, lang) => call('template_get', { kind, lang });
export const templatePreview = (kind, lang, title, intro, outro) => call('template_preview', { kind, lang, title, intro, outro });
export const templateSave = (kind, lang, title, intro, outro) => call('template_save', { kind, lang, title, intro, outro });
export const templateReset = (kind, lang) => call('template_reset', { kind, lang });
// Paper consent forms (issue 19).
export const consentFormIssue = (input) => call('consent_form_issue', { input });
export const consentFormList = (offset, limit) => call('consent_form_list', { offset, limit });
export const consentFormSave = (id, title) => call('consent_form_save', { id, title });
export const consentFormPrint = (id, printer) => call('consent_form_print', { id, printer });
export const consentFormRecord = (number, subjectId, signedOn) => call('consent_form_record', { number, subjectId, signedOn });
export const backupOverview = () => call('backup_overview');
export const backupExport = (title, passphrase, confirm) => call('backup_export', { title, passphrase, confirm });
export const backupVerify = (title, passphrase) => call('backup_verify', { title, passphrase });
export const backupRestore = (title, passphrase) => call('backup_restore', { title, passphrase });
export const backupPickFolder = (title) => call('backup_pick_folder', { title });
export const backupAutoSet = (settings) => call('backup_auto_set', { settings });
export const backupRestoreNew = (title, passphrase) => call('backup_restore_new', { title, passphrase });
export const subjectBlock = (subjectId, basis, requestId) => call('subject_block', { subjectId, basis, requestId: requestId ?? null });
export const erasurePreview = (action, subjectIds, keep) => call('erasure_preview', { action, subjectIds, keep });
export const erasureRun = (action, subjectIds, basis, requestId, keep, lang) =>
  call('erasure_run', { order: { action, subjects: subjectIds, basis: { requestId: requestId ?? null, text: basis }, keep, lang } });
export const subjectTombstone = (id) => call('subject_tombstone', { id });
export const retentionSweep = (offset, limit) => call('retention_sweep', { offset, limit });
export const reminders = () => call('reminders_list');
export const retentionCarryOut = (action, keep, lang) => call('retention_carry_out', { action, keep, lang });
export const transferRecord = (t) => call('transfer_record', { t });
export const transferList = (subjectId) => call('transfer_list', { subjectId });
export const transfersExport = (title) => call('transfers_export', { title });
export const adequateCountries = () => call('adequate_country_list');
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
