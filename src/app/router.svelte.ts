/** Hash routes: they work from any static server and from a USB stick, with no server-side rewrites. */
export type Route = 'fleet' | 'deadlines' | 'cycles' | 'entitlements' | 'import' | 'files' | 'settings' | 'cssm';

const ROUTES: readonly Route[] = ['fleet', 'deadlines', 'cycles', 'entitlements', 'import', 'files', 'settings', 'cssm'];

function parse(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'fleet';
}

class Router {
  current = $state<Route>(parse(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window !== 'undefined') window.addEventListener('hashchange', () => (this.current = parse(location.hash)));
  }

  go(route: Route) {
    if (!location.hash.startsWith(`#/${route}`)) location.hash = `#/${route}`;
    this.current = route;
  }
}

export const router = new Router();
