// Hash routing: the Wails asset server serves one page, and a hash survives reloads in dev.

export type RouteId =
  | 'dashboard'
  | 'mappings'
  | 'sync'
  | 'history'
  | 'activity'
  | 'configure-connectwise'
  | 'configure-webroot'
  | 'settings';

export interface Route {
  id: RouteId;
  path: string;
  title: string;
}

export const routes: Route[] = [
  { id: 'dashboard', path: '/dashboard', title: 'Dashboard' },
  { id: 'mappings', path: '/mappings', title: 'Mappings' },
  { id: 'sync', path: '/sync', title: 'Sync' },
  { id: 'history', path: '/history', title: 'History' },
  { id: 'activity', path: '/activity', title: 'Activity' },
  { id: 'configure-connectwise', path: '/configure/connectwise', title: 'Configure ConnectWise' },
  { id: 'configure-webroot', path: '/configure/webroot', title: 'Configure Webroot' },
  { id: 'settings', path: '/settings', title: 'Settings' },
];

const byPath = new Map(routes.map((r) => [r.path, r]));
const fallback = routes[0] as Route;

/** The route for a location hash such as "#/settings"; unknown paths go to the dashboard. */
export function resolve(hash: string): Route {
  const path = hash.replace(/^#/, '') || fallback.path;
  return byPath.get(path) ?? fallback;
}

export function href(id: RouteId): string {
  return '#' + (routes.find((r) => r.id === id) ?? fallback).path;
}

class Router {
  current = $state<Route>(resolve(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => this.sync());
    }
  }

  sync(): void {
    this.current = resolve(location.hash);
    document.title = `${this.current.title} · Manage Webroot Integration`;
  }

  go(id: RouteId): void {
    location.hash = href(id);
    this.sync();
  }
}

export const router = new Router();
