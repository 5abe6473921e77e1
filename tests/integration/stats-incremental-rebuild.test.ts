/**
 * STATS-1/STATS-2/STATS-10: after a seeded random history over the real relay (one taps, sign-offs on time and late, findings,
 * escalations by the server clock, closures, restarts with SIGTERM and SIGKILL), the projection the relay kept up to
 * date equals one rebuilt from the stored documents. STATS_SEED=<n> replays a failing seed (printed on failure).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  Directory,
  addFinding,
  expandTemplate,
  invitationViews,
  parseTemplates,
  readClosure,
  requestClose,
  seededRandom,
  signOff,
  startGroupFromTemplate,
} from '@muster/core';
import type { DirectoryData, GroupTemplate } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { DirectoryService } from '../../sync-server/src/directory/directoryService.ts';
import { silentLogger } from '../../sync-server/src/log.ts';
import { rebuildStats } from '../../sync-server/src/stats/projector.ts';
import { SqliteStatsStore, openSqliteStatsStore } from '../../sync-server/src/stats/sqliteStatsStore.ts';
import { openSqliteStore } from '../../sync-server/src/store/sqliteStore.ts';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import { startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const T0 = 1_900_000_000_000;
const MIN = 60_000;
const SEED = Number(process.env.STATS_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** Who is on duty at which post in the demo city (signers). */
const SIGNERS: Record<string, string> = {
  'p-e-mgmt': 'demo005',
  'p-e-leader': 'demo007',
  'p-e-chief': 'demo008',
  'p-e-data': 'demo009',
  'p-e-cid': 'demo010',
  'p-e-patrol': 'demo011',
  'p-e-legal': 'demo012',
  'p-e-traffic': 'demo013',
};

describe('statistics projection', () => {
  let server: TestServer;
  afterAll(async () => {
    await server?.stop();
  });

  it('STATS-1 STATS-2 STATS-10: incremental equals rebuilt after a seeded random history with restarts', async () => {
    const random = seededRandom(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    server = await startServer({ manualClock: true });
    let now = await server.moveClock({ set: T0 });
    const front = await login(server.url, 'demo015');
    const auth = { headers: { authorization: `Bearer ${front.token}` } };
    const dirData = (await (await fetch(`${server.url}/api/directory`, auth)).json()) as DirectoryData;
    const parsed = parseTemplates(await (await fetch(`${server.url}/api/templates`, auth)).json());
    if (!parsed.ok) throw new Error('templates');
    const dir = new Directory(dirData);
    const templates = parsed.templates as GroupTemplate[];
    const groups: string[] = [];
    const actor = (l: LoginResponse) => ({ personId: l.person.id, name: l.person.name });

    /** One device session: log in (tokens expire by the server clock), sync, act, wait for the durable ack. */
    const session = async (who: string, groupId: string, act: (doc: Y.Doc, me: LoginResponse) => void) => {
      const me = await login(server.url, who);
      const c = connectGroup(server.wsUrl, groupId, me.token);
      try {
        await waitFor(() => c.provider.synced && c.lastAck(), 20_000, `sync ${groupId}`);
        act(c.doc, me);
        await waitFor(() => c.fullyAcked(), 20_000, `ack ${groupId}`);
      } finally {
        c.destroy();
      }
    };

    let restarts = 0;
    for (let step = 0; step < 28; step++) {
      const r = random();
      if (groups.length === 0 || r < 0.2) {
        const tpl = pick(templates.filter((t) => t.incidentType !== 'missing-person'));
        const exp = expandTemplate(tpl, dir, 'st-e1');
        if (!exp.ok) throw new Error(JSON.stringify(exp.errors));
        const id = `g-${SEED}-${groups.length}`;
        const doc = new Y.Doc();
        startGroupFromTemplate(doc, {
          group: {
            id,
            kind: 'incident',
            title: `fictional ${tpl.incidentType}`,
            incident: { number: `JQ-${step}`, type: tpl.incidentType, address: 'fictional', reportedAt: null },
            unitId: 'st-e1',
            initiator: actor(front),
            deviceTime: now,
          },
          expansion: exp.expansion,
          invitationIds: exp.expansion.posts.map((_, k) => `${id}-i${k}`),
        });
        const me = await login(server.url, 'demo015');
        const c = connectGroup(server.wsUrl, id, me.token, doc);
        await waitFor(() => c.fullyAcked(), 20_000, `start ${id}`);
        c.destroy();
        groups.push(id);
      } else if (r < 0.5) {
        const id = pick(groups);
        let target: { inv: string; post: string } | null = null;
        await session('demo015', id, (doc) => {
          const open = invitationViews(doc, now).filter(
            (v) => (v.status === 'waiting' || v.status === 'overdue') && SIGNERS[v.invitation.post.id],
          );
          if (open.length && !readClosure(doc)) {
            const v = pick(open);
            target = { inv: v.invitation.id, post: v.invitation.post.id };
          }
        });
        const t = target as { inv: string; post: string } | null;
        if (t) {
          await session(SIGNERS[t.post]!, id, (doc, me) =>
            signOff(doc, { id: `so-${step}`, invitationId: t.inv, by: actor(me), deviceTime: now }),
          );
        }
      } else if (r < 0.62) {
        const id = pick(groups);
        // The initiator: the others are members only when the template invited their post.
        await session('demo015', id, (doc, me) => {
          if (!readClosure(doc))
            addFinding(doc, { id: `f-${step}`, text: 'fictional', author: actor(me), deviceTime: now });
        });
      } else if (r < 0.72) {
        const id = pick(groups);
        await session('demo015', id, (doc, me) => {
          if (!readClosure(doc)) {
            requestClose(doc, { id: `c-${step}`, summary: 'done (fictional)', by: actor(me), deviceTime: now }, now);
          }
        });
      } else if (r < 0.9) {
        now = await server.moveClock({ advanceMs: Math.floor(random() * 45 * MIN) + MIN });
      } else {
        // A restart: the catch-up projects what the projection missed; the clock is set again (manual clock).
        restarts++;
        await server.kill(random() < 0.5 ? 'SIGKILL' : 'SIGTERM');
        await server.start();
        now = await server.moveClock({ set: now });
      }
    }
    // Escalations fire on the last clock move; then a graceful stop writes what is queued.
    now = await server.moveClock({ advanceMs: 40 * MIN });
    await session('demo015', groups[0]!, () => {});
    await server.kill('SIGTERM');

    const incremental = openSqliteStatsStore(server.dataDir);
    const kept = await incremental.dump();
    await incremental.close();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-stats-'));
    const store = openSqliteStore(server.dataDir);
    const rebuilt = new SqliteStatsStore(path.join(tmp, 'stats.sqlite'));
    try {
      const directory = new DirectoryService(store);
      await directory.reload();
      const n = await rebuildStats({
        stats: rebuilt,
        store,
        directory: () => directory.current,
        log: silentLogger,
      });
      const fresh = await rebuilt.dump();
      const context = `STATS_SEED=${SEED} (${groups.length} groups, ${restarts} restarts)`;
      expect(n, context).toBe(groups.length);
      expect(kept.groups.length, context).toBe(groups.length);
      expect(kept.groups, context).toEqual(fresh.groups);
      expect(kept.invitations, context).toEqual(fresh.invitations);
      expect(kept.participants, context).toEqual(fresh.participants);
      // STATS-10: the daily rollups kept row by row equal those rebuilt in bulk.
      expect(kept.rollups.length, context).toBeGreaterThan(0);
      expect(kept.rollups, context).toEqual(fresh.rollups);
    } finally {
      await rebuilt.close();
      await store.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 240_000);
});
