/** Claims of the access token the login endpoint issues (JWT, verified by the relay and the HTTP API). */
export interface TokenClaims {
  /** Person id (subject). */
  sub: string;
  /** Display name. */
  name: string;
  /** Police number used to log in. */
  policeNo: string;
  /** Unit the person belongs to. */
  unitId: string;
  /** Roles, e.g. `frontline`, `patrol`, `desk`, `leader`, `admin`, `auditor`. */
  roles: string[];
  /** AUTH-4: login session the token belongs to (checked against the server's sessions; revocable). */
  sid?: string;
  /** Expiry of the token, ms since epoch (server time). */
  exp?: number;
}

/** Query parameter carrying the access token on the websocket URL. Never logged. */
export const TOKEN_PARAM = 'token';

/** Path prefix of the relay's websocket endpoint: `/sync/<docName>`. */
export const SYNC_PATH = '/sync';

/** Document names: `group:<id>` for a group. */
export function groupDocName(groupId: string): string {
  return `group:${groupId}`;
}

export function parseDocName(name: string): { kind: 'group'; id: string } | null {
  const m = /^group:([A-Za-z0-9_-]{6,64})$/.exec(name);
  return m ? { kind: 'group', id: m[1]! } : null;
}
