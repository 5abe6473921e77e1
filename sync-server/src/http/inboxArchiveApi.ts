/**
 * HIST-8: `GET /api/inbox/archive?before=<cursor>&limit=<n>`: the asker's own inbox archive (items that left the
 * live inbox document as settled or old), newest first, paged by an opaque cursor (the last item's time and id).
 */
import { HttpError } from '@muster/protocol';
import type { InboxArchiveResponse } from '@muster/protocol';
import type { Clock } from '../clock.ts';
import type { Store } from '../store/store.ts';
import { sendJson } from './respond.ts';
import type { Authenticate, Routes } from './router.ts';

export const ARCHIVE_PAGE = 50;
const MAX_PAGE = 200;

export function archiveCursor(at: number, itemId: string): string {
  return Buffer.from(JSON.stringify([at, itemId])).toString('base64url');
}

export function parseArchiveCursor(cursor: string): { at: number; itemId: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') {
      return { at: v[0] as number, itemId: v[1] };
    }
  } catch {
    // falls through
  }
  throw new HttpError(400, 'invalid-request', 'before must be a cursor this endpoint returned');
}

export function inboxArchiveRoutes(deps: { store: Store; clock: Clock }, authenticate: Authenticate): Routes {
  return {
    '/api/inbox/archive': {
      GET: async (req, res) => {
        const claims = await authenticate(req);
        const query = new URL(req.url ?? '/', 'http://x').searchParams;
        const raw = query.get('limit');
        const limit = raw === null ? ARCHIVE_PAGE : Number(raw);
        if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) {
          throw new HttpError(400, 'invalid-request', `limit must be 1..${MAX_PAGE}`);
        }
        const before = query.get('before');
        const rows = await deps.store.listInboxArchive({
          personId: claims.sub,
          before: before ? parseArchiveCursor(before) : null,
          limit: limit + 1,
        });
        const page = rows.slice(0, limit);
        const last = page[page.length - 1];
        const out: InboxArchiveResponse = {
          items: page.map((r) => ({ item: r.item, read: r.readAt !== null, archivedAt: r.archivedAt })),
          cursor: rows.length > limit && last ? archiveCursor(last.item.at, last.item.id) : null,
          serverTime: deps.clock.now(),
        };
        sendJson(res, 200, out);
      },
    },
  };
}
