import {
  appendAudit,
  findAgency,
  findUserByName,
  insertToken,
  insertUser,
  isRole,
  ROLES,
} from '../../store/index.js';
import { UsageError, writeJson, writeLine } from '../io.js';
import type { RegisterCommand } from '../register.js';
import { addDbOption, explained, withMigratedDb } from './db-options.js';
import { parsePositiveInt } from './parse.js';

const TOKEN_LIFETIME_DAYS_MAX = 366;
const MS_PER_DAY = 86_400_000;

interface CreateOptions {
  username: string;
  role: string;
  agency?: string;
  displayName?: string;
  label?: string;
  expiresInDays?: string;
  db?: string;
  json?: boolean;
}

/**
 * `lendguard users create`: the way in for the first admin. Writes straight to the database (with an
 * audit entry by actor "system") and prints the new token once.
 */
export const registerUsers: RegisterCommand = (program, io) => {
  const users = program.command('users').description('Users and API tokens');
  addDbOption(
    users
      .command('create')
      .description('Create a user and an API token for them; the token is printed once')
      .requiredOption('--username <name>', '3 to 40 characters: a-z, 0-9, _ . -, starting with a letter')
      .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
      .option('--agency <agencyId>', 'for role agency (required): the collection agency the user works for')
      .option('--display-name <text>', 'name shown in the audit log (default: the username)')
      .option('--label <text>', 'what the token is for', 'command line')
      .option(
        '--expires-in-days <n>',
        `token lifetime, 1 to ${TOKEN_LIFETIME_DAYS_MAX} days (default: no expiry)`,
      )
      .option('--json', 'print the result as JSON'),
  ).action((options: CreateOptions) =>
    explained(async () => {
      if (!/^[a-z][a-z0-9_.-]{2,39}$/.test(options.username)) {
        throw new UsageError(
          `--username "${options.username}" must be 3 to 40 characters of a-z, 0-9, _ . -, starting with a letter`,
        );
      }
      if (!isRole(options.role))
        throw new UsageError(`--role must be one of ${ROLES.join(', ')}; got "${options.role}"`);
      const role = options.role;
      const agencyId = options.agency;
      if (agencyId !== undefined && role !== 'agency')
        throw new UsageError(`--agency is only for role agency; role ${role} works for the lender`);
      if (agencyId === undefined && role === 'agency')
        throw new UsageError(
          '--agency <agencyId> is required for role agency: the agency the user works for',
        );
      if (agencyId !== undefined && !/^[a-z0-9][a-z0-9_-]{0,39}$/.test(agencyId))
        throw new UsageError(
          `--agency "${agencyId}" must be 1 to 40 characters of a-z, 0-9, _ -, starting with a letter or digit`,
        );
      const days =
        options.expiresInDays === undefined
          ? undefined
          : parsePositiveInt(options.expiresInDays, '--expires-in-days', TOKEN_LIFETIME_DAYS_MAX);
      const result = await withMigratedDb(options.db, (db) =>
        db.transaction(async (tx) => {
          if ((await findUserByName(tx, options.username)) !== undefined) {
            throw new UsageError(`the username ${options.username} is taken; choose another`);
          }
          // The same check as POST /users: an agency user must work for an agency that exists and is active.
          if (agencyId !== undefined && (await findAgency(tx, agencyId))?.active !== true) {
            throw new UsageError(
              `no active collection agency ${agencyId}; create it first (PUT /collections/agencies/${agencyId})`,
            );
          }
          const user = await insertUser(tx, {
            username: options.username,
            displayName: options.displayName ?? options.username,
            role,
            agencyId: agencyId ?? null,
          });
          const { token, secret } = await insertToken(tx, {
            userId: user.userId,
            label: options.label ?? 'command line',
            expiresAt: days === undefined ? null : new Date(Date.now() + days * MS_PER_DAY),
          });
          const system = { actorUserId: null, actorRole: 'system', requestId: null, customerId: null };
          await appendAudit(tx, {
            ...system,
            action: 'user.create',
            resourceType: 'user',
            resourceId: user.userId,
            details: agencyId === undefined ? { role, via: 'cli' } : { role, agencyId, via: 'cli' },
          });
          await appendAudit(tx, {
            ...system,
            action: 'token.create',
            resourceType: 'api_token',
            resourceId: token.tokenId,
            details: { userId: user.userId, via: 'cli' },
          });
          return { user, token, secret };
        }),
      );
      if (options.json === true) {
        writeJson(io, { user: result.user, token: { ...result.token, token: result.secret } });
        return;
      }
      writeLine(io.stdout, `created ${result.user.role} ${result.user.username} (${result.user.userId})`);
      writeLine(io.stdout, `API token (shown once, store it now): ${result.secret}`);
      writeLine(io.stderr, 'use it as: Authorization: Bearer <token>');
    }),
  );
};
