/**
 * SCALE-5: probes for a load balancer and an orchestrator, per node, outside /api (no auth, no body):
 * - `GET /healthz`: the process serves HTTP (liveness): 200 while it runs, 503 once it is stopping;
 * - `GET /readyz`: the node can take connections: its store answers a query and every readiness check given
 *   (several nodes: Redis and the node's lease keeper) passes; 503 with the failing checks otherwise.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/store.ts';

export interface HealthDeps {
  store: Store;
  /** Node id (several nodes) or `single`. */
  node: string;
  /** True once the server stops: both probes answer 503 so the balancer drains it first. */
  stopping: () => boolean;
  /** More readiness checks by name: each resolves true when ready. */
  checks?: Record<string, () => boolean | Promise<boolean>>;
  /** Reported but not required (Redis: nodes serve without it, only hand-over notices wait). */
  info?: Record<string, () => boolean>;
  /**
   * A probe of a store behind a network (PostgreSQL) on a fresh connection with its own timeouts; without it the
   * store is probed by a plain read.
   */
  storeProbe?: (timeoutMs: number) => Promise<boolean>;
  /** Longest a store query may take before the node counts as not ready. */
  timeoutMs?: number;
}

export interface ReadyResponse {
  ready: boolean;
  node: string;
  checks: Record<string, boolean>;
  info?: Record<string, boolean>;
}

const within = <T>(p: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timed out')), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(text);
}

/** Answers /healthz and /readyz; resolves false for any other path. */
export function healthProbes(
  deps: HealthDeps,
): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean> {
  return async (req, res, path) => {
    if (path !== '/healthz' && path !== '/readyz') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { error: 'method-not-allowed' });
      return true;
    }
    if (path === '/healthz') {
      send(res, deps.stopping() ? 503 : 200, { ok: !deps.stopping(), node: deps.node });
      return true;
    }
    const checks: Record<string, boolean> = { running: !deps.stopping() };
    const ms = deps.timeoutMs ?? 2000;
    // A store behind a network is probed on a fresh connection with its own timeouts, so a pooled connection
    // that has not yet noticed a lost database cannot keep the node ready.
    const probe = deps.storeProbe ? deps.storeProbe(ms) : deps.store.getPerson('-').then(() => true);
    checks['store'] = await within(probe, ms + 500).catch(() => false);
    for (const [name, check] of Object.entries(deps.checks ?? {})) {
      checks[name] = await within(Promise.resolve().then(check), ms).catch(() => false);
    }
    const ready = Object.values(checks).every(Boolean);
    const out: ReadyResponse = { ready, node: deps.node, checks };
    if (deps.info) out.info = Object.fromEntries(Object.entries(deps.info).map(([k, f]) => [k, f()]));
    send(res, ready ? 200 : 503, out);
    return true;
  };
}
