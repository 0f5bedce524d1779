/**
 * The API's resources as its OpenAPI document describes them: `generated/openapi.ts` is written by
 * scripts/web-api.ts from the server at every `npm run build:web`, so a field the server renames or drops
 * fails the dashboard's typecheck instead of showing blank cells.
 */
import type { paths } from './generated/openapi.js';

type Method = 'get' | 'post';
type JsonOf<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;
type SuccessOf<Responses> = Responses extends { 200: infer R }
  ? JsonOf<R>
  : Responses extends { 201: infer R }
    ? JsonOf<R>
    : never;

/** The JSON body of a path's successful answer (200, or 201 for a write that creates). */
export type ResponseOf<P extends keyof paths, M extends Method = 'get'> = SuccessOf<
  NonNullable<paths[P][M]> extends { responses: infer R } ? R : never
>;

/** One item of a list answer (`{ items: [...], nextCursor }`). */
export type ItemOf<P extends keyof paths> = ResponseOf<P> extends { items: (infer Item)[] } ? Item : never;

/** The query parameters of a GET. */
export type QueryOf<P extends keyof paths> =
  NonNullable<paths[P]['get']> extends {
    parameters: { query?: infer Q };
  }
    ? NonNullable<Q>
    : never;
