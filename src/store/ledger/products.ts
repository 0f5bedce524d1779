import { type Product, parseProduct } from '../../ledger/index.js';
import type { Queryable } from '../db.js';

export interface StoredProduct {
  productId: string;
  version: number;
  product: Product;
  createdAt: string;
  createdBy: string;
}

interface ProductRow {
  product_id: string;
  version: number;
  document: string;
  created_at: string;
  created_by: string;
}

const COLUMNS = `product_id, version, document::text as document,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at, created_by`;

function fromRow(row: ProductRow): StoredProduct {
  return {
    productId: row.product_id,
    version: row.version,
    product: parseProduct(JSON.parse(row.document)),
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/**
 * Stores a product document (already accepted by `parseProduct`) as the next version of its id.
 * Versions are never changed: loans keep the version they were drawn under.
 */
export async function insertProductVersion(
  q: Queryable,
  product: Product,
  createdBy: string,
): Promise<StoredProduct> {
  const { rows } = await q.query<ProductRow>(
    `insert into products (product_id, version, document, created_by)
     select $1, coalesce(max(version), 0) + 1, $2::jsonb, $3 from products where product_id = $1
     returning ${COLUMNS}`,
    [product.id, JSON.stringify(product), createdBy],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('assertion: insert returned no row');
  return fromRow(row);
}

/** One version, or the latest when `version` is left out. */
export async function findProduct(
  q: Queryable,
  productId: string,
  version?: number,
): Promise<StoredProduct | undefined> {
  const { rows } =
    version === undefined
      ? await q.query<ProductRow>(
          `select ${COLUMNS} from products where product_id = $1 order by version desc limit 1`,
          [productId],
        )
      : await q.query<ProductRow>(`select ${COLUMNS} from products where product_id = $1 and version = $2`, [
          productId,
          version,
        ]);
  const row = rows[0];
  return row === undefined ? undefined : fromRow(row);
}

/** The latest version of each product, by id, after `afterId` (keyset page). */
export async function listProducts(
  q: Queryable,
  afterId: string | null,
  limit: number,
): Promise<StoredProduct[]> {
  const { rows } = await q.query<ProductRow>(
    `select distinct on (product_id) ${COLUMNS} from products
     where ($1::text is null or product_id > $1)
     order by product_id, version desc limit $2`,
    [afterId, limit],
  );
  return rows.map(fromRow);
}
