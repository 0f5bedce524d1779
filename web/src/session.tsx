import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { ApiClient, ApiProblem } from './api.js';
import type { ResponseOf } from './api-types.js';
import { useI18n } from './i18n.js';

export type Me = ResponseOf<'/me'>;

interface SessionValue {
  me: Me | null;
  api: ApiClient | null;
  checking: boolean;
  login: (token: string) => Promise<void>;
  logout: () => void;
}

const TOKEN_KEY = 'lendguard.token';

/** The token lives in the tab's sessionStorage: gone when the tab closes. */
const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

const SessionContext = createContext<SessionValue | null>(null);

/** The token lives in sessionStorage (gone when the tab closes); GET /me says who and which role. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(tokenStore.get);
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(token !== null);

  const logout = useCallback(() => {
    tokenStore.clear();
    setToken(null);
    setMe(null);
  }, []);
  // Read at each request: switching the language does not rebuild the client (nor reload every page).
  const { locale } = useI18n();
  const language = useRef(locale);
  language.current = locale;
  const languageNow = useCallback(() => language.current, []);
  const api = useMemo(
    () => (token === null ? null : new ApiClient(token, logout, languageNow)),
    [token, logout, languageNow],
  );

  useEffect(() => {
    if (api === null || me !== null) return;
    setChecking(true);
    api
      .get<Me>('/me')
      .then(setMe, () => logout())
      .finally(() => setChecking(false));
  }, [api, me, logout]);

  const login = useCallback(
    async (candidate: string) => {
      const probe = new ApiClient(candidate, () => {}, languageNow);
      const who = await probe.get<Me>('/me');
      tokenStore.set(candidate);
      setToken(candidate);
      setMe(who);
    },
    [languageNow],
  );

  return (
    <SessionContext.Provider value={{ me, api: me === null ? null : api, checking, login, logout }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('assertion: useSession outside SessionProvider');
  return value;
}

/** The API client of a signed-in page (pages are rendered only when signed in). */
export function useApi(): ApiClient {
  const { api } = useSession();
  if (api === null) throw new Error('assertion: useApi on a page shown without a session');
  return api;
}

export { ApiProblem };
