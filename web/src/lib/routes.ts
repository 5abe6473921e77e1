/**
 * Hash routes: `#/login`, `#/groups`, `#/groups/new`, `#/groups/<id>`, `#/groups/<id>/item/<kind>/<ref>` (the group
 * scrolled to the thing an inbox item is about, UX-2), `#/audit` (AUDIT-4). Pure: tested in Node.
 */
export type FocusKind = 'invitation' | 'clue' | 'instruction' | 'approval' | 'escalation' | 'lookup' | 'withdrawn';
const FOCUS_KINDS: readonly string[] = [
  'invitation',
  'clue',
  'instruction',
  'approval',
  'escalation',
  'lookup',
  'withdrawn',
];

/** What a group view is opened at: an invitation, an entry (clue, instruction, approval) or an escalation. */
export interface Focus {
  kind: FocusKind;
  ref: string;
}

export type Route =
  | { name: 'login' }
  | { name: 'groups' }
  | { name: 'new-group' }
  | { name: 'group'; id: string; focus?: Focus }
  | { name: 'record'; id: string }
  | { name: 'board' }
  | { name: 'inbox' }
  | { name: 'settings' }
  | { name: 'audit' }
  | { name: 'stats' }
  | { name: 'review'; id: string }
  | { name: 'not-found'; path: string };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/groups';
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 1 && parts[0] === 'login') return { name: 'login' };
  if (parts.length === 1 && parts[0] === 'board') return { name: 'board' };
  if (parts.length === 1 && parts[0] === 'inbox') return { name: 'inbox' };
  if (parts.length === 1 && parts[0] === 'settings') return { name: 'settings' };
  if (parts.length === 1 && parts[0] === 'audit') return { name: 'audit' };
  if (parts.length === 1 && parts[0] === 'stats') return { name: 'stats' };
  if (parts[0] === 'groups') {
    if (parts.length === 1) return { name: 'groups' };
    if (parts.length === 2 && parts[1] === 'new') return { name: 'new-group' };
    const id = decodeURIComponent(parts[1] ?? '');
    if (parts.length === 2 && ID.test(id)) return { name: 'group', id };
    if (parts.length === 3 && parts[2] === 'record' && ID.test(id)) return { name: 'record', id };
    if (parts.length === 3 && parts[2] === 'review' && ID.test(id)) return { name: 'review', id };
    const ref = decodeURIComponent(parts[4] ?? '');
    if (parts.length === 5 && parts[2] === 'item' && ID.test(id) && FOCUS_KINDS.includes(parts[3]!) && ID.test(ref))
      return { name: 'group', id, focus: { kind: parts[3] as FocusKind, ref } };
  }
  return { name: 'not-found', path };
}

export function routeHash(route: Route): string {
  switch (route.name) {
    case 'login':
      return '#/login';
    case 'groups':
      return '#/groups';
    case 'new-group':
      return '#/groups/new';
    case 'group':
      return route.focus
        ? `#/groups/${encodeURIComponent(route.id)}/item/${route.focus.kind}/${encodeURIComponent(route.focus.ref)}`
        : `#/groups/${encodeURIComponent(route.id)}`;
    case 'record':
      return `#/groups/${encodeURIComponent(route.id)}/record`;
    case 'board':
      return '#/board';
    case 'inbox':
      return '#/inbox';
    case 'settings':
      return '#/settings';
    case 'audit':
      return '#/audit';
    case 'stats':
      return '#/stats';
    case 'review':
      return `#/groups/${encodeURIComponent(route.id)}/review`;
    case 'not-found':
      return `#${route.path}`;
  }
}
