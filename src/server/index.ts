export {
  API_VERSION,
  type BuildServerOptions,
  buildServer,
  listRoutes,
  type RouteInfo,
  tokenCacheOf,
} from './app.js';
export {
  ConfigError,
  DEFAULT_SERVER_CONFIG,
  LEDGER_WRITES_IN_FLIGHT_LIMIT,
  loadServerConfig,
  RATE_LIMIT_PER_TOKEN_LIMIT,
  type ServerConfig,
} from './config.js';
export { idNumberProblem } from './customers/routes.js';
export { readAmount } from './http/amount.js';
export { PROBLEM_CODES, type ProblemCode, ProblemError } from './http/problem.js';
export { PERMISSIONS, type Permission } from './http/roles.js';
export { TOKEN_CACHE_ENTRIES_MAX, TokenCache } from './http/token-cache.js';
export { makeCommandBatcher } from './ledger/command-batch.js';
export { REVIEW_NOTE_LENGTH_MAX } from './origination/decision-review.js';
export { NOTE_LENGTH_MAX, POLICY_BODY_LIMIT_BYTES } from './origination/policies.js';
export { blacklistKeysOf, readShippedPolicy, SHIPPED_POLICY_DIR } from './origination/support.js';
export { shareText } from './portfolio/routes.js';
export { DEFAULT_WEB_ROOT } from './web/routes.js';
