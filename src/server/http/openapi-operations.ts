import type { RouteOptions } from 'fastify';

/**
 * Every operation in the OpenAPI document gets a stable `operationId` and an explicit `security`, from one
 * place, as routes are registered: client generators name their methods by the id, and linters hold every
 * operation to a stated security. The id is derived from the method and the path, so it changes only when
 * the route does: `GET /customers/{customerId}` → `getCustomersByCustomerId`, `POST /eod-runs` →
 * `postEodRuns`. A route may still name its own `operationId` in its schema. Public routes (no token)
 * declare `security: []`.
 */
export function operationIdOf(method: string, url: string): string {
  const words: string[] = [method.toLowerCase()];
  for (const segment of url.split('/').filter((s) => s !== '')) {
    const param = /^:([A-Za-z0-9_]+)$/.exec(segment);
    const parts = (param === null ? segment : param[1]!).split(/[^A-Za-z0-9]+/).filter((p) => p !== '');
    const camel = parts.map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
    words.push(param === null ? camel : `By${camel}`);
  }
  return words.join('');
}

export function describeOperation(route: RouteOptions): void {
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  if (schema.hide === true) return;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const method = methods.find((m) => m !== 'HEAD') ?? methods[0]!;
  if (schema.operationId === undefined) schema.operationId = operationIdOf(method, route.url);
  const isPublic = (route.config as { public?: boolean } | undefined)?.public === true;
  if (schema.security === undefined) schema.security = isPublic ? [] : [{ bearerAuth: [] }];
  route.schema = schema;
}
