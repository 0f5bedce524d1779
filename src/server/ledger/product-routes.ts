import type { FastifyInstance } from 'fastify';
import { LedgerInputError, type Product, parseProduct } from '../../ledger/index.js';
import { findProduct, insertProductVersion, listProducts } from '../../store/index.js';
import type { ServerDeps } from '../http/context.js';
import { engineRefusal } from '../http/engine-refusals.js';
import { render, say } from '../http/messages.js';
import { fieldProblem, ProblemError } from '../http/problem.js';
import {
  bearerSecurity,
  decodeCursor,
  idempotencyHeader,
  keysetPage,
  pageQueryProperties,
  pageResponse,
  problemResponses,
} from '../http/schemas.js';
import { LEDGER_MESSAGES } from './messages.js';
import { presentProduct } from './presenters.js';
import { productNotFound } from './request.js';
import { productResponse } from './schemas.js';
import { commitLedgerWrite } from './write.js';

/** Product ids are the product document's own `id`: letters, digits and - _ . */
export const PRODUCT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';
/** Most fields in a product document (it has 17; nested objects are bounded by parseProduct). */
const PRODUCT_PROPERTIES_MAX = 32;

const productIdParam = {
  type: 'object',
  required: ['productId'],
  additionalProperties: false,
  properties: { productId: { type: 'string', pattern: PRODUCT_ID_PATTERN, description: 'Product id' } },
} as const;

/** Loan products and their versions. */
export async function ledgerProductRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const products = { tags: ['products'], security: bearerSecurity };

  app.post<{ Body: Record<string, unknown> }>(
    '/products',
    {
      config: { permission: 'products.manage' },
      schema: {
        ...products,
        summary: 'Add a product, or a new version of one (loans keep the version they were drawn under)',
        headers: idempotencyHeader,
        body: {
          type: 'object',
          required: ['id'],
          maxProperties: PRODUCT_PROPERTIES_MAX,
          additionalProperties: true,
          properties: { id: { type: 'string', pattern: PRODUCT_ID_PATTERN } },
          description: 'A product document; fields and defaults in docs/ledger-products.md',
        },
        response: { 201: productResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      let product: Product;
      try {
        product = parseProduct(request.body);
      } catch (error) {
        if (!(error instanceof LedgerInputError)) throw error;
        const path = `/body${error.field === '' ? '' : `/${error.field.replace(/\./g, '/')}`}`;
        const text = engineRefusal(error.code, error.message, error.field);
        throw new ProblemError(
          'product_invalid',
          say(LEDGER_MESSAGES, 'product_fix', {
            en_fault: render(text, 'en'),
            zh_fault: render(text, 'zh-CN'),
          }),
          [fieldProblem(path, text)],
        );
      }
      return commitLedgerWrite(deps, request, reply, async (tx) => {
        const stored = await insertProductVersion(tx, product, request.principal!.userId);
        return {
          status: 201,
          body: presentProduct(stored),
          location: `/products/${stored.productId}`,
          audit: [
            {
              action: 'product.create',
              resourceType: 'product',
              resourceId: `${stored.productId}@${stored.version}`,
              customerId: null,
              details: { version: stored.version },
            },
          ],
        };
      });
    },
  );

  app.get<{ Querystring: { limit: number; cursor?: string } }>(
    '/products',
    {
      config: { permission: 'products.read' },
      schema: {
        ...products,
        summary: 'The latest version of each product',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: pageQueryProperties(deps.config),
        },
        response: { 200: pageResponse(productResponse), ...problemResponses },
      },
    },
    async (request) => {
      const after = decodeCursor(request.query.cursor, 'string') ?? null;
      const rows = await listProducts(deps.db, after, request.query.limit + 1);
      const { rows: page, nextCursor } = keysetPage(rows, request.query.limit, (r) => r.productId);
      return {
        items: page.map(presentProduct),
        nextCursor,
      };
    },
  );

  app.get<{ Params: { productId: string }; Querystring: { version?: number } }>(
    '/products/:productId',
    {
      config: { permission: 'products.read' },
      schema: {
        ...products,
        summary: 'One product: its latest version, or ?version=N',
        params: productIdParam,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { version: { type: 'integer', minimum: 1, maximum: 1_000_000 } },
        },
        response: { 200: productResponse, ...problemResponses },
      },
    },
    async (request) => {
      const found = await findProduct(deps.db, request.params.productId, request.query.version);
      if (found === undefined) throw productNotFound(request.params.productId, '/path/productId');
      return presentProduct(found);
    },
  );
}
