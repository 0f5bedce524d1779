/**
 * What each role may do: the server's own table (src/server/http/roles.ts), copied into
 * `generated/permissions.ts` by scripts/web-api.ts at every `npm run build:web`, so there is one source.
 * The dashboard only hides what a role may not do; the server refuses it anyway.
 */
import { PERMISSIONS, ROLES } from './generated/permissions.js';

export { ROLES };
export type Role = (typeof ROLES)[number];

export const UI_PERMISSIONS = PERMISSIONS;

export type UiPermission = keyof typeof UI_PERMISSIONS;

export function can(role: Role, permission: UiPermission): boolean {
  return (UI_PERMISSIONS[permission] as readonly Role[]).includes(role);
}
