import { ApiClient } from '../../api.js';

/**
 * The borrower's session: a borrower token (lgb_…) kept apart from the staff token, in its own storage key,
 * sent only to /portal/… routes. A 401 ends it and shows the sign-in page again.
 */
const TOKEN_KEY = 'lendguard.portal.token';

export function portalToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function savePortalToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

export function portalClient(token: string, onSignedOut: () => void, language: () => string): ApiClient {
  return new ApiClient(
    token,
    () => {
      savePortalToken(null);
      onSignedOut();
    },
    language,
  );
}

/** Calls the public sign-in routes (no token). */
export async function publicPost<T>(path: string, body: unknown, language: string): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': language, accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new Error(String(data.detail ?? data.title ?? `HTTP ${response.status}`));
  return data as T;
}
