export { formatFen, parseAmount } from './amount.js';
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
export { PROBLEM_CODES, type ProblemCode, ProblemError } from './problem.js';
export { PERMISSIONS, type Permission } from './roles.js';
export { TOKEN_CACHE_ENTRIES_MAX, TokenCache } from './token-cache.js';
