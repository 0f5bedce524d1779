export { formatFen, parseAmount } from './amount.js';
export {
  API_VERSION,
  type BuildServerOptions,
  buildServer,
  listRoutes,
  type RouteInfo,
  tokenCacheOf,
} from './app.js';
export { makeCommandBatcher } from './command-batch.js';
export {
  ConfigError,
  DEFAULT_SERVER_CONFIG,
  LEDGER_WRITES_IN_FLIGHT_LIMIT,
  loadServerConfig,
  type ServerConfig,
} from './config.js';
export { blacklistKeysOf, readShippedPolicy, SHIPPED_POLICY_DIR } from './origination-support.js';
export { PROBLEM_CODES, type ProblemCode, ProblemError } from './problem.js';
export { PERMISSIONS, type Permission } from './roles.js';
export { idNumberProblem } from './routes/customers.js';
export { REVIEW_NOTE_LENGTH_MAX } from './routes/origination-decision-review.js';
export { NOTE_LENGTH_MAX, POLICY_BODY_LIMIT_BYTES } from './routes/origination-policies.js';
export { shareText } from './routes/portfolio.js';
export { DEFAULT_WEB_ROOT } from './routes/web.js';
export { TOKEN_CACHE_ENTRIES_MAX, TokenCache } from './token-cache.js';
