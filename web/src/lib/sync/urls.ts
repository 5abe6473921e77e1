import { SYNC_PATH } from '@muster/protocol';

/** Base URL of the relay's websocket endpoint for a page served from `origin` (`http(s)://host`). */
export function syncBaseUrl(origin: string): string {
  const u = new URL(origin);
  const scheme = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${u.host}${SYNC_PATH}`;
}
