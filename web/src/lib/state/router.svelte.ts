import { parseRoute, routeHash, type Route } from '../routes.ts';

export class Router {
  route = $state<Route>(parseRoute(location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parseRoute(location.hash);
    });
  }

  go(route: Route, replace = false): void {
    const hash = routeHash(route);
    if (replace) history.replaceState(null, '', hash);
    else if (location.hash !== hash) history.pushState(null, '', hash);
    this.route = parseRoute(hash);
  }
}
