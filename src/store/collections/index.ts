export {
  type CasePatch,
  type CaseQuery,
  type CaseRefreshCounts,
  type CaseRefreshSettings,
  DEFAULT_CASE_REFRESH_SETTINGS,
  findCase,
  hasAssignedOpenCase,
  listCases,
  patchCase,
  refreshCases,
  type StoredCase,
} from './cases.js';
export {
  addPromise,
  type ContactInput,
  listContacts,
  listPromises,
  logContact,
  type StoredContact,
  type StoredPromise,
} from './contacts.js';
