/**
 * A group written over the relay by a Node client (the stock y-websocket provider, as another device would), for
 * browser tests that need a long group with invitations, a clue or an instruction without clicking them in.
 */
import {
  acknowledge,
  addFinding,
  giveInstruction,
  invitePost,
  isClosed,
  pushClue,
  readMeta,
  requestClose,
  signOff,
  startGroup,
} from '@muster/core';
import { createHash } from 'node:crypto';
import type { Addressee, PhotoRef, PostRef } from '@muster/core';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { TestServer } from '../helpers/startServer.ts';

/** Demo posts by id, as an invitation names them. */
export const POSTS: Record<string, PostRef> = {
  'p-e-mgmt': { id: 'p-e-mgmt', name: '协同管理岗', unitId: 'sb-e', unitName: '东城分局', kind: 'management' },
  'p-e-cid': {
    id: 'p-e-cid',
    name: '东城刑警大队协同支撑岗',
    unitId: 'br-e-cid',
    unitName: '刑警大队',
    kind: 'support',
  },
  'p-e-legal': {
    id: 'p-e-legal',
    name: '东城法制大队协同支撑岗',
    unitId: 'br-e-legal',
    unitName: '法制大队',
    kind: 'support',
  },
  'p-e-traffic': {
    id: 'p-e-traffic',
    name: '东城交警大队协同支撑岗',
    unitId: 'br-e-traffic',
    unitName: '交警大队',
    kind: 'support',
  },
};

export interface SeedInput {
  id: string;
  title: string;
  /** How many findings before the invitations, clue and instruction (a long page). */
  findings?: number;
  invite?: string[];
  clue?: { id: string; text: string; units: string[] };
  instruction?: { id: string; text: string; to: Addressee[] };
  /** Police number of the initiator (a station officer, demo015, unless told). */
  by?: string;
}

/** Writes the group as the initiator and waits until the relay has acknowledged all of it. */
export async function seedGroup(server: TestServer, input: SeedInput): Promise<void> {
  const me = await login(server.url, input.by ?? 'demo015');
  const actor = { personId: me.person.id, name: me.person.name };
  const c = connectGroup(server.wsUrl, input.id, me.token);
  try {
    await waitFor(() => c.provider.synced, 20_000, 'seed: synced');
    c.doc.transact(() => {
      startGroup(c.doc, {
        id: input.id,
        kind: 'incident',
        title: input.title,
        incident: { number: 'J2030-0900', type: 'theft', address: '东城区演示路 1 号 (fictional)', reportedAt: null },
        unitId: me.person.unitId,
        initiator: actor,
        deviceTime: Date.now(),
      });
      for (let i = 0; i < (input.findings ?? 0); i++)
        addFinding(c.doc, {
          id: `${input.id}-f${i}`,
          text: `现场记录 ${i + 1}：周边走访，暂无发现 (fictional)`,
          author: actor,
          deviceTime: Date.now(),
        });
      for (const p of input.invite ?? []) {
        const post = POSTS[p];
        if (!post) throw new Error(`seed: no demo post ${p}`);
        invitePost(c.doc, { id: `${input.id}-inv-${p}`, post, invitedBy: actor, deviceTime: Date.now() });
      }
    });
    if (input.clue)
      pushClue(c.doc, {
        id: input.clue.id,
        text: input.clue.text,
        targetUnitIds: input.clue.units,
        author: actor,
        deviceTime: Date.now(),
      });
    if (input.instruction)
      giveInstruction(c.doc, {
        id: input.instruction.id,
        text: input.instruction.text,
        to: input.instruction.to,
        author: actor,
        postId: null,
        deviceTime: Date.now(),
      });
    await waitFor(() => c.fullyAcked(), 20_000, 'seed: acknowledged');
  } finally {
    c.destroy();
  }
}

/** Signs the group's invitation of `postId` as the officer on duty there (police number), over the relay. */
export async function seedSignOff(
  server: TestServer,
  groupId: string,
  postId: string,
  policeNo: string,
): Promise<void> {
  const me = await login(server.url, policeNo);
  const c = connectGroup(server.wsUrl, groupId, me.token);
  try {
    await waitFor(() => c.provider.synced, 20_000, 'seed: synced');
    signOff(c.doc, {
      id: `${groupId}-sign-${postId}`,
      invitationId: seededInvitation(groupId, postId),
      by: { personId: me.person.id, name: me.person.name },
      deviceTime: Date.now(),
    });
    await waitFor(() => c.fullyAcked(), 20_000, 'seed: sign-off acknowledged');
  } finally {
    c.destroy();
  }
}

/** Closes the group as its initiator (CLOSE-1) and waits until the relay wrote the closure. */
export async function seedClose(server: TestServer, groupId: string, policeNo = 'demo015'): Promise<void> {
  const me = await login(server.url, policeNo);
  const c = connectGroup(server.wsUrl, groupId, me.token);
  try {
    await waitFor(() => c.provider.synced && readMeta(c.doc) !== null, 20_000, 'seed: synced');
    requestClose(
      c.doc,
      {
        id: `${groupId}-close`,
        summary: '已处置完毕 (fictional)',
        by: { personId: me.person.id, name: me.person.name },
        deviceTime: Date.now(),
      },
      Date.now(),
    );
    await waitFor(() => isClosed(c.doc), 20_000, 'seed: closure written by the relay');
  } finally {
    c.destroy();
  }
}

/** The invitation id `seedGroup` gives a post. */
export const seededInvitation = (groupId: string, postId: string): string => `${groupId}-inv-${postId}`;

/**
 * Uploads `images` for the group (PUT /api/photos, as the author's outbox would) and writes one finding naming them,
 * as `policeNo` (the initiator unless told); waits until the relay has acknowledged it.
 */
export async function seedPhotoFinding(
  server: TestServer,
  groupId: string,
  images: { bytes: Buffer; width: number; height: number }[],
  policeNo = 'demo015',
): Promise<string[]> {
  const me = await login(server.url, policeNo);
  const photos: PhotoRef[] = [];
  for (const img of images) {
    const hash = createHash('sha256').update(img.bytes).digest('hex');
    const res = await fetch(`${server.url}/api/photos/${hash}?group=${encodeURIComponent(groupId)}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${me.token}`, 'Content-Type': 'image/png' },
      body: new Uint8Array(img.bytes),
    });
    if (!res.ok) throw new Error(`seed: photo upload ${res.status}`);
    photos.push({ hash, mime: 'image/png', size: img.bytes.length, width: img.width, height: img.height });
  }
  const c = connectGroup(server.wsUrl, groupId, me.token);
  try {
    await waitFor(() => c.provider.synced && readMeta(c.doc) !== null, 20_000, 'seed: synced');
    addFinding(c.doc, {
      id: `${groupId}-photos`,
      text: '现场照片 (fictional)',
      author: { personId: me.person.id, name: me.person.name },
      deviceTime: Date.now(),
      photos,
    });
    await waitFor(() => c.fullyAcked(), 20_000, 'seed: photo finding acknowledged');
  } finally {
    c.destroy();
  }
  return photos.map((p) => p.hash);
}

/**
 * HIST-4: `count` small groups of one initiator (`<prefix>-<n>`, titled by `title(n)`), each inviting `invite`,
 * written over the relay by ten clients at once; resolves when the relay has acknowledged every one.
 */
export async function seedMany(
  server: TestServer,
  opts: { prefix: string; count: number; title: (n: number) => string; invite?: string[]; by?: string },
): Promise<string[]> {
  const me = await login(server.url, opts.by ?? 'demo015');
  const actor = { personId: me.person.id, name: me.person.name };
  const ids = Array.from({ length: opts.count }, (_, n) => `${opts.prefix}-${String(n).padStart(4, '0')}`);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const n = next++;
      const id = ids[n]!;
      const c = connectGroup(server.wsUrl, id, me.token);
      try {
        await waitFor(() => c.provider.synced, 20_000, `seed ${id}: synced`);
        c.doc.transact(() => {
          startGroup(c.doc, {
            id,
            kind: 'incident',
            title: opts.title(n),
            unitId: me.person.unitId,
            initiator: actor,
            deviceTime: Date.now(),
          });
          for (const p of opts.invite ?? []) {
            invitePost(c.doc, { id: `${id}-inv-${p}`, post: POSTS[p]!, invitedBy: actor, deviceTime: Date.now() });
          }
        });
        await waitFor(() => c.fullyAcked(), 20_000, `seed ${id}: acknowledged`);
      } finally {
        c.destroy();
      }
    }
  };
  process.setMaxListeners(Math.max(process.getMaxListeners(), 32));
  await Promise.all(Array.from({ length: 10 }, worker));
  return ids;
}

/** Acknowledges a clue or instruction (entry id) as `policeNo`, over the relay (INS-2). */
export async function seedAck(server: TestServer, groupId: string, entryId: string, policeNo: string): Promise<void> {
  const me = await login(server.url, policeNo);
  const c = connectGroup(server.wsUrl, groupId, me.token);
  try {
    await waitFor(() => c.provider.synced && readMeta(c.doc) !== null, 20_000, 'seed: synced');
    acknowledge(c.doc, {
      id: `${groupId}-ack-${policeNo}`,
      entryId,
      kind: 'ack',
      by: { personId: me.person.id, name: me.person.name },
      postId: null,
      deviceTime: Date.now(),
    });
    await waitFor(() => c.fullyAcked(), 20_000, 'seed: acknowledgement acknowledged');
  } finally {
    c.destroy();
  }
}

/**
 * A leader's instruction (批示) in the group, written as `policeNo` acting from the leader post `postId` (the duty
 * leader demo007 at p-e-leader unless told), over the relay (INS-1).
 */
export async function seedInstruction(
  server: TestServer,
  groupId: string,
  instruction: { id: string; text: string; to: Addressee[] },
  policeNo = 'demo007',
  postId = 'p-e-leader',
): Promise<void> {
  const me = await login(server.url, policeNo);
  const c = connectGroup(server.wsUrl, groupId, me.token);
  try {
    await waitFor(() => c.provider.synced && readMeta(c.doc) !== null, 20_000, 'seed: synced');
    giveInstruction(c.doc, {
      ...instruction,
      author: { personId: me.person.id, name: me.person.name },
      postId,
      deviceTime: Date.now(),
    });
    await waitFor(() => c.fullyAcked(), 20_000, 'seed: instruction acknowledged');
  } finally {
    c.destroy();
  }
}
