import { createHash } from 'node:crypto';
import {
  type CompiledStrategy,
  compileStrategy,
  DEFAULT_COLLECTION_STRATEGY,
  STRATEGY_SHARE_BP_MAX,
  type StrategyArm,
  StrategyError,
} from '../../collections/index.js';
import type { Queryable } from '../db.js';
import { newId } from '../ids.js';

/** The version name of the shipped strategy, used while none is published. */
export const SHIPPED_STRATEGY = 'shipped';

/** A strategy version with its maker-checker trail (decision 0711). */
export interface StoredStrategyVersion {
  readonly version: string;
  readonly status: 'draft' | 'published' | 'retired' | 'rejected';
  readonly arm: StrategyArm | null;
  readonly challengerShare_bp: number | null;
  readonly documentHash: string;
  readonly note: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly approvedBy: string | null;
}

export class StrategyVersionError extends Error {
  constructor(
    readonly code:
      | 'strategy_not_found'
      | 'strategy_not_draft'
      | 'strategy_own_draft'
      | 'strategy_share_invalid',
    message: string,
  ) {
    super(message);
    this.name = 'StrategyVersionError';
  }
}

interface Row {
  version: string;
  status: StoredStrategyVersion['status'];
  arm: StrategyArm | null;
  challenger_share_bp: number | null;
  document_hash: string;
  note: string | null;
  created_by: string;
  created_at: string | Date;
  approved_by: string | null;
}

const COLUMNS =
  'version, status, arm, challenger_share_bp, document_hash, note, created_by, created_at, approved_by';

function fromRow(r: Row): StoredStrategyVersion {
  return {
    version: r.version,
    status: r.status,
    arm: r.arm,
    challengerShare_bp: r.challenger_share_bp === null ? null : Number(r.challenger_share_bp),
    documentHash: r.document_hash,
    note: r.note,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
    approvedBy: r.approved_by,
  };
}

/** Stores a valid strategy graph as a draft; an invalid one is refused with every issue and nothing written. */
export async function draftStrategy(
  q: Queryable,
  graph: unknown,
  createdBy: string,
  note: string | null,
): Promise<StoredStrategyVersion> {
  compileStrategy(graph); // throws StrategyError with the issues by path
  const version = newId('csv');
  const text = JSON.stringify(graph);
  const { rows } = await q.query<Row>(
    `insert into collection_strategy_versions (version, document, document_hash, status, note, created_by)
     values ($1, $2::jsonb, $3, 'draft', $4, $5) returning ${COLUMNS}`,
    [version, text, createHash('sha256').update(text).digest('hex'), note, createdBy],
  );
  return fromRow(rows[0]!);
}

/**
 * A second person approves a draft as the champion, or as the challenger with its share of cases: it is
 * published and the version that held that arm before is retired, in the caller's transaction.
 */
export async function approveStrategy(
  q: Queryable,
  version: string,
  approvedBy: string,
  arm: StrategyArm,
  challengerShare_bp: number | null,
): Promise<StoredStrategyVersion> {
  if (
    (arm === 'challenger') !== (challengerShare_bp !== null) ||
    (challengerShare_bp !== null &&
      (!Number.isSafeInteger(challengerShare_bp) ||
        challengerShare_bp < 0 ||
        challengerShare_bp > STRATEGY_SHARE_BP_MAX))
  ) {
    throw new StrategyVersionError(
      'strategy_share_invalid',
      'a challenger needs its share of cases in basis points (0 … 10000); a champion takes none',
    );
  }
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from collection_strategy_versions where version = $1 for update`,
    [version],
  );
  const row = rows[0];
  if (row === undefined)
    throw new StrategyVersionError('strategy_not_found', `no strategy version ${version}`);
  if (row.status !== 'draft')
    throw new StrategyVersionError(
      'strategy_not_draft',
      `strategy version ${version} is ${row.status}; only a draft can be approved`,
    );
  if (row.created_by === approvedBy)
    throw new StrategyVersionError(
      'strategy_own_draft',
      `strategy version ${version} was written by ${approvedBy}; another person must approve it`,
    );
  await q.query(
    `update collection_strategy_versions set status = 'retired' where status = 'published' and arm = $1`,
    [arm],
  );
  const updated = await q.query<Row>(
    `update collection_strategy_versions set status = 'published', arm = $2, challenger_share_bp = $3,
        approved_by = $4, approved_at = now() where version = $1 returning ${COLUMNS}`,
    [version, arm, challengerShare_bp, approvedBy],
  );
  return fromRow(updated.rows[0]!);
}

/** Ends the challenger: its cases are worked by the champion from the next refresh. */
export async function retireChallenger(q: Queryable): Promise<number> {
  const { rowCount } = await q.query(
    `update collection_strategy_versions set status = 'retired' where status = 'published' and arm = 'challenger'`,
  );
  return rowCount ?? 0;
}

export async function listStrategyVersions(q: Queryable): Promise<StoredStrategyVersion[]> {
  const { rows } = await q.query<Row>(
    `select ${COLUMNS} from collection_strategy_versions order by created_at desc, version desc limit 200`,
  );
  return rows.map(fromRow);
}

export async function strategyDocument(q: Queryable, version: string): Promise<unknown | undefined> {
  if (version === SHIPPED_STRATEGY) return DEFAULT_COLLECTION_STRATEGY;
  const { rows } = await q.query<{ document: string }>(
    'select document::text as document from collection_strategy_versions where version = $1',
    [version],
  );
  return rows[0] === undefined ? undefined : JSON.parse(rows[0].document);
}

/** The strategies in force: the champion (the shipped one while none is published) and the challenger, if any. */
export interface StrategiesInForce {
  readonly champion: { readonly version: string; readonly strategy: CompiledStrategy };
  readonly challenger:
    | { readonly version: string; readonly strategy: CompiledStrategy; readonly share_bp: number }
    | undefined;
}

const compiled = new Map<string, CompiledStrategy>();
function compiledOf(version: string, document: unknown): CompiledStrategy {
  let c = compiled.get(version);
  if (c === undefined) {
    try {
      c = compileStrategy(document, `strategy ${version}`);
    } catch (error) {
      if (error instanceof StrategyError)
        throw new Error(`assertion: published strategy ${version} no longer compiles: ${error.message}`);
      throw error;
    }
    compiled.set(version, c);
  }
  return c;
}

export async function strategiesInForce(q: Queryable): Promise<StrategiesInForce> {
  const { rows } = await q.query<{
    version: string;
    arm: StrategyArm;
    share: number | null;
    document: string;
  }>(
    `select version, arm, challenger_share_bp as share, document::text as document
       from collection_strategy_versions where status = 'published'`,
  );
  const champ = rows.find((r) => r.arm === 'champion');
  const chall = rows.find((r) => r.arm === 'challenger');
  return {
    champion:
      champ === undefined
        ? { version: SHIPPED_STRATEGY, strategy: compiledOf(SHIPPED_STRATEGY, DEFAULT_COLLECTION_STRATEGY) }
        : { version: champ.version, strategy: compiledOf(champ.version, JSON.parse(champ.document)) },
    challenger:
      chall === undefined
        ? undefined
        : {
            version: chall.version,
            strategy: compiledOf(chall.version, JSON.parse(chall.document)),
            share_bp: Number(chall.share),
          },
  };
}
