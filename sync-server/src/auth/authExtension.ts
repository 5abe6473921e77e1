/**
 * Authenticates websocket connections by the access token in the URL (AUTH-4: signature, expiry by the server
 * clock, and an active login session), and keeps a registry of open connections by person and session so that a
 * revocation closes them at once (AUTH-5); a periodic sweep closes connections whose session ended meanwhile.
 */
import { CloseCode } from '@muster/protocol';
import type { Extension } from '../extension.ts';
import type { Logger } from '../log.ts';
import type { ConnectionHandle } from '../relay/types.ts';
import type { SessionService } from './sessions.ts';

export function tokenAuth(sessions: SessionService): Extension {
  return {
    name: 'token-auth',
    phase: 'authenticate',
    async onAuthenticate({ token }) {
      return token ? sessions.verifyAccess(token) : null;
    },
  };
}

export class SessionRegistry {
  readonly #byPerson = new Map<string, Set<ConnectionHandle>>();
  readonly #sessions: SessionService;
  readonly #log: Logger;
  readonly #timer: NodeJS.Timeout;
  #sweeping: Promise<void> | null = null;

  constructor(sessions: SessionService, log: Logger, sweepMs: number) {
    this.#sessions = sessions;
    this.#log = log;
    this.#timer = setInterval(() => void this.sweep(), sweepMs);
    this.#timer.unref();
  }

  get size(): number {
    let n = 0;
    for (const s of this.#byPerson.values()) n += s.size;
    return n;
  }

  connectionsOf(personId: string): ConnectionHandle[] {
    return [...(this.#byPerson.get(personId) ?? [])];
  }

  /** AUTH-5: closes every connection of a person (all sessions) or of some sessions with 4401. */
  closeWhere(match: { personId: string } | { sessionIds: readonly string[] }, reason: string): number {
    let n = 0;
    const ids = 'sessionIds' in match ? new Set(match.sessionIds) : null;
    for (const [personId, conns] of this.#byPerson) {
      if (!ids && personId !== (match as { personId: string }).personId) continue;
      for (const c of [...conns]) {
        if (ids && !ids.has(c.principal.sid ?? '')) continue;
        c.close(CloseCode.unauthorized, reason);
        n++;
      }
    }
    return n;
  }

  /**
   * Closes connections whose session was revoked or expired (another process, or a missed revoke). Each session is
   * looked up once per sweep, however many connections it holds; a sweep does not start while one still runs.
   */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = null;
    });
    return this.#sweeping;
  }

  async #sweep(): Promise<void> {
    const active = new Map<string | undefined, Promise<boolean>>();
    for (const conns of this.#byPerson.values()) {
      for (const c of [...conns]) {
        const sid = c.principal.sid;
        let check = active.get(sid);
        if (!check) active.set(sid, (check = this.#sessions.isActive(sid)));
        try {
          if (!(await check)) {
            this.#log.info('session ended; closing connection', { conn: c.id, person: c.principal.sub });
            c.close(CloseCode.unauthorized, 'session ended; log in again');
          }
        } catch (error) {
          this.#log.warn('session check failed', { error: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  }

  extension(): Extension {
    return {
      name: 'session-registry',
      phase: 'admit',
      onConnect: ({ connection }) => {
        let set = this.#byPerson.get(connection.principal.sub);
        if (!set) this.#byPerson.set(connection.principal.sub, (set = new Set()));
        set.add(connection);
      },
      onDisconnect: ({ connection }) => {
        const set = this.#byPerson.get(connection.principal.sub);
        if (!set) return;
        set.delete(connection);
        if (set.size === 0) this.#byPerson.delete(connection.principal.sub);
      },
      onDestroy: () => clearInterval(this.#timer),
    };
  }
}
