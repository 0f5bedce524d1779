export { formatFen, parseAmount } from './amount.js';
export { API_VERSION, type BuildServerOptions, buildServer, listRoutes, type RouteInfo } from './app.js';
export { ConfigError, DEFAULT_SERVER_CONFIG, loadServerConfig, type ServerConfig } from './config.js';
export { PROBLEM_CODES, type ProblemCode, ProblemError } from './problem.js';
export { PERMISSIONS, type Permission } from './roles.js';
