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
  type ServerConfig,
} from './config.js';
export { readAmount } from './http/amount.js';
export { PROBLEM_CODES, type ProblemCode, ProblemError } from './http/problem.js';
export { PERMISSIONS, type Permission } from './http/roles.js';
export { TOKEN_CACHE_ENTRIES_MAX, TokenCache } from './http/token-cache.js';
