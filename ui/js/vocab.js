// The vocabularies the page offers — kinds and channels of request, identity checks, pauses,
// consent forms, withdrawal channels, bases, kinds of document — by the stable names the core
// defines (derbes::app::vocab), loaded once at start instead of retyped here. Their words are the
// catalogue's (kind.<name>, channel.<name> …).
import * as api from './api.js';

export const vocab = {
  requestKinds: [], requestChannels: [], identityMethods: [], pauseReasons: [], cancelReasons: [],
  requestStatuses: [], representativeRelations: [], consentForms: [],
  withdrawalChannels: [], holdingBases: [], transferBases: [], letterKinds: [],
};

export async function loadVocab() {
  Object.assign(vocab, await api.vocabList());
}
