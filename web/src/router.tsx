import {
  createContext,
  type MouseEvent,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useState,
} from 'react';

/**
 * Client routes live under /app/ so they never collide with an API path; the server answers any
 * /app/… with index.html. A few pages need no routing library.
 */
export const BASE = '/app';

interface RouterValue {
  path: string;
  /** The query string of the address, without "?" (filters of a list page live there). */
  search: string;
  navigate: (to: string) => void;
  /** Changes the query string of the current page without a new history entry. */
  replaceSearch: (search: string) => void;
}

const RouterContext = createContext<RouterValue>({
  path: '/',
  search: '',
  navigate: () => {},
  replaceSearch: () => {},
});

function currentPath(): string {
  const path = window.location.pathname;
  const inside = path.startsWith(BASE) ? path.slice(BASE.length) : path;
  return inside === '' ? '/' : inside;
}

const currentSearch = () => window.location.search.replace(/^\?/, '');

export function RouterProvider({ children }: { children: ReactNode }) {
  const [path, setPath] = useState(currentPath);
  const [search, setSearch] = useState(currentSearch);
  useEffect(() => {
    const onPop = () => {
      setPath(currentPath());
      setSearch(currentSearch());
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    window.history.pushState(null, '', `${BASE}${to}`);
    setPath(currentPath());
    setSearch(currentSearch());
  }, []);
  const replaceSearch = useCallback((next: string) => {
    window.history.replaceState(null, '', `${window.location.pathname}${next === '' ? '' : `?${next}`}`);
    setSearch(currentSearch());
  }, []);
  return (
    <RouterContext.Provider value={{ path, search, navigate, replaceSearch }}>
      {children}
    </RouterContext.Provider>
  );
}

export const useRouter = () => useContext(RouterContext);

/** Matches "/customers/:id" against a path; returns the parameters or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      params[w.slice(1)] = decodeURIComponent(g);
    } else if (w !== g) return undefined;
  }
  return params;
}

/** An anchor that navigates inside the app (and still opens in a new tab on ctrl-click). */
export function Link({ to, children, testId }: { to: string; children: ReactNode; testId?: string }) {
  const { navigate } = useRouter();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={`${BASE}${to}`} onClick={onClick} data-testid={testId}>
      {children}
    </a>
  );
}
