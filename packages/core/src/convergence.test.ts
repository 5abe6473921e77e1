/**
 * CONV-1: replicas that edit offline and exchange updates in any order end identical, and every derived view
 * agrees. A seeded simulated network (in the spirit of Yjs' TestConnector): each replica buffers what it sends
 * while offline; messages are delivered in random order; one replica plays the relay and stamps what it sees.
 * Simulated time runs 20 s a step, so deadlines pass and sign-offs arrive late; every act carries an attested time
 * from its replica's anchor (ATT-1: the server time of its last contact plus the time elapsed since), and device
 * clocks may be off by ±2 h: the verdicts must not change with them (ATT-1, SLA-2).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startGroup } from './group.ts';
import { seededRandom } from './seededRandom.ts';
import { invitationViews, invitePost, signOff } from './invitations.ts';
import { parseInvitation } from './validate.ts';
import { Root, rootMap } from './schema.ts';
import { changedRefs, stampRecords, unstampedRefs } from './stamps.ts';
import { addFinding, timeline } from './timeline.ts';
import { addTask, completeTask, taskViews, waiveTask } from './tasks.ts';
import { pushClue } from './clues.ts';
import { acknowledge } from './acks.ts';
import { clueViews } from './clues.ts';
import type { Attested, PostRef } from './schema.ts';
import type { RecordRef } from './stamps.ts';

interface Replica {
  name: string;
  doc: Y.Doc;
  online: boolean;
  outbox: Uint8Array[];
  inbox: Uint8Array[];
  /** ATT-1: server time of the replica's last contact with the relay. */
  anchorAt: number;
}

const HOUR = 3_600_000;

const posts: PostRef[] = ['a', 'b', 'c', 'd'].map((x, i) => ({
  id: `post-${x}`,
  name: `Post ${x}`,
  unitId: 'u',
  unitName: 'Unit',
  kind: i === 0 ? 'management' : 'support',
}));

/** `skews[i]`: how far replica i's device clock is off (ms); the relay's (replica 0) is not used. */
function simulate(seed: number, replicaCount: number, steps: number, skews: readonly number[] = []) {
  const rand = seededRandom(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const SERVER = 'server-origin';
  let serverClock = 1_900_000_000_000;
  const replicas: Replica[] = [];
  for (let i = 0; i < replicaCount; i++) {
    const r: Replica = { name: `r${i}`, doc: new Y.Doc(), online: true, outbox: [], inbox: [], anchorAt: serverClock };
    r.doc.clientID = 1_000 + i; // fixed client ids: a seed replays the same history (Yjs breaks ties by client id)
    r.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin === 'net') return;
      if (r.online) for (const o of replicas) if (o !== r) o.inbox.push(u);
      if (!r.online) r.outbox.push(u);
    });
    replicas.push(r);
  }
  const relay = replicas[0]!; // replica 0 is the relay: it stamps what it sees and never goes offline
  // As the relay does: collect what each applied transaction changed, stamp after the update is applied.
  const toStamp: RecordRef[] = [];
  relay.doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (tr.origin !== SERVER) toStamp.push(...changedRefs(relay.doc, tr));
  });
  const applyAt = (r: Replica, u: Uint8Array) => {
    Y.applyUpdate(r.doc, u, 'net');
    if (r === relay && toStamp.length) stampRecords(relay.doc, toStamp.splice(0), ++serverClock, SERVER);
  };
  startGroup(replicas[1]!.doc, {
    id: 'g1',
    kind: 'incident',
    title: 'Sim',
    unitId: 'u',
    initiator: { personId: 'p1', name: 'P1' },
    deviceTime: 1,
  });
  let n = 0;
  const deliver = (r: Replica) => {
    if (r.online) r.anchorAt = serverClock;
    while (r.inbox.length) {
      const i = Math.floor(rand() * r.inbox.length);
      const [u] = r.inbox.splice(i, 1);
      applyAt(r, u!);
      if (r === relay) for (const o of replicas) if (o !== relay && o.online) o.inbox.push(u!);
    }
  };
  for (let step = 0; step < steps; step++) {
    serverClock += 20_000;
    const r = pick(replicas.slice(1));
    const action = rand();
    const actor = { personId: `p-${r.name}`, name: r.name };
    const base = serverClock + Math.floor(rand() * 10_000);
    const deviceTime = base + (skews[replicas.indexOf(r)] ?? 0);
    // ATT-1: anchor + elapsed, whatever the device clock says.
    const attested: Attested = { at: serverClock, uncertaintyMs: 1_000, anchorAt: r.anchorAt, chain: 'monotonic' };
    if (action < 0.1) {
      r.online = !r.online;
      if (r.online) {
        r.anchorAt = serverClock;
        for (const u of r.outbox.splice(0)) for (const o of replicas) if (o !== r) o.inbox.push(u);
        // Catch up on what was missed while offline, as the sync protocol does.
        r.inbox.push(Y.encodeStateAsUpdate(relay.doc, Y.encodeStateVector(r.doc)));
      }
    } else if (action < 0.4) {
      addFinding(r.doc, { id: `f${n++}`, text: `finding ${step}`, author: actor, deviceTime, attested });
    } else if (action < 0.45) {
      const assignee = { kind: 'post' as const, id: pick(posts).id, name: 'p' };
      addTask(r.doc, { id: `t${n++}`, title: `task ${step}`, assignee, due: base, author: actor, deviceTime });
    } else if (action < 0.5) {
      // Picked in id order, so the simulated acts do not depend on the device clocks (the views order by them).
      const tasks = taskViews(r.doc, 0).sort((a, b) => (a.task.id < b.task.id ? -1 : 1));
      if (tasks.length) {
        const taskId = pick(tasks).task.id;
        const outcome = { id: `o${n++}`, taskId, text: 'because', by: actor, deviceTime, attested };
        if (rand() < 0.5) completeTask(r.doc, outcome);
        else waiveTask(r.doc, outcome);
      }
    } else if (action < 0.55) {
      const clues = clueViews(r.doc).sort((a, b) => (a.clue.id < b.clue.id ? -1 : 1));
      if (clues.length && rand() < 0.6) {
        const entryId = pick(clues).clue.id;
        const kind = rand() < 0.5 ? ('seen' as const) : ('ack' as const);
        acknowledge(r.doc, { id: `k${n++}`, entryId, kind, by: actor, deviceTime, attested });
      } else {
        pushClue(r.doc, {
          id: `c${n++}`,
          text: `clue ${step}`,
          targetUnitIds: ['u'],
          author: actor,
          deviceTime,
          attested,
        });
      }
    } else if (action < 0.7) {
      const post = pick(posts);
      try {
        invitePost(r.doc, { id: `i${n++}`, post, invitedBy: actor, deviceTime });
      } catch {
        /* already invited on this replica */
      }
    } else if (action < 0.85) {
      const invitations = [...rootMap(r.doc, Root.invitations).values()].flatMap((v) => {
        const inv = parseInvitation(v);
        return inv ? [inv] : [];
      });
      if (invitations.length)
        signOff(r.doc, { id: `s${n++}`, invitationId: pick(invitations).id, by: actor, deviceTime, attested });
    } else {
      deliver(pick(replicas));
    }
  }
  // Everyone comes back online and all messages drain.
  for (const r of replicas) {
    if (!r.online) {
      r.online = true;
      for (const u of r.outbox.splice(0)) for (const o of replicas) if (o !== r) o.inbox.push(u);
    }
  }
  for (let round = 0; round < 4; round++) {
    for (const r of replicas) deliver(r);
    for (const r of replicas.slice(1)) {
      applyAt(relay, Y.encodeStateAsUpdate(r.doc, Y.encodeStateVector(relay.doc)));
      applyAt(r, Y.encodeStateAsUpdate(relay.doc, Y.encodeStateVector(r.doc)));
    }
  }
  for (const r of replicas) deliver(r);
  return { replicas, now: serverClock + 1 };
}

const SEEDS = Array.from({ length: 25 }, (_, i) => 1000 + i * 7919);

describe('CONV-1: seeded convergence of offline replicas', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: replicas end identical and derived views agree`, () => {
      const replicaCount = 3 + (seed % 3);
      const { replicas, now } = simulate(seed, replicaCount, 300);
      const [first, ...rest] = replicas;
      const state = (d: Y.Doc) => Buffer.from(Y.encodeStateVector(d)).toString('hex');
      const view = (d: Y.Doc) =>
        JSON.stringify({
          tl: timeline(d).map((i) => [i.id, i.serverTime, i.attestedAt]),
          inv: invitationViews(d, now).map((v) => [
            v.invitation.id,
            v.status,
            v.signOff?.id ?? null,
            v.basis,
            v.judgedAt,
          ]),
          tasks: taskViews(d, now).map((t) => [t.task.id, t.state, t.outcome?.id ?? null, t.overdue]),
          clues: clueViews(d).map((c) => [c.clue.id, c.acks.map((a) => [a.person.personId, a.seen?.id, a.acked?.id])]),
        });
      const msg = `seed ${seed} (rerun: vitest -t "seed ${seed}")`;
      for (const r of rest) {
        expect(state(r.doc), msg).toBe(state(first!.doc));
        expect(view(r.doc), msg).toBe(view(first!.doc));
      }
      expect(unstampedRefs(first!.doc), msg).toEqual([]);
    });
  }

  // ATT-1 SLA-2: the same seeds with device clocks right and off by ±2 h give the same verdicts.
  const verdicts = (seed: number, skewed: boolean) => {
    const replicaCount = 3 + (seed % 3);
    const skews = Array.from({ length: replicaCount }, (_, i) => (i === 0 ? 0 : i % 2 ? -2 * HOUR : 2 * HOUR));
    const { replicas, now } = simulate(seed, replicaCount, 300, skewed ? skews : []);
    const d = replicas[0]!.doc;
    return {
      inv: invitationViews(d, now).map((v) => [v.invitation.id, v.status, v.basis, v.judgedAt]),
      tasks: taskViews(d, now).map((t) => [t.task.id, t.state, t.overdue]),
      entries: timeline(d)
        .map((i) => `${i.id}@${i.serverTime}`)
        .sort(),
    };
  };
  for (const seed of SEEDS.slice(0, 10)) {
    it(`CONV-1 ATT-1 SLA-2: seed ${seed}: device clocks off by ±2 h change no verdict`, () => {
      expect(verdicts(seed, true)).toEqual(verdicts(seed, false));
    });
  }
  it('ATT-3: the simulation reaches sign-offs that arrived late and were judged on their attested time', () => {
    expect(verdicts(16838, true).inv.filter((v) => v[2] === 'attested').length).toBeGreaterThan(0);
  });
});
