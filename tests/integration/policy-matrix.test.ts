/**
 * POL-1 POL-2 POL-21: the access matrix of the policy. One table of (person: role, duty, relation to the group) × act →
 * allowed or refused. Every row is asked of the core policy (`mayWriteRecord`, the function the relay calls); every
 * refused row is then tried on the real relay by a forged client (raw Yjs writes that bypass the core commands)
 * while an honest client keeps writing: the forged record is refused with a notice naming it and never reaches
 * the group, and the honest client loses nothing.
 *
 * The group (demo city, all fictional): 东湖派出所's desk officer demo015 starts it and invites the sub-bureau's
 * management desk (p-e-mgmt) and the criminal brigade's desk (p-e-cid); a clue to 东湖派出所 makes its patrol
 * officer demo016 a member; the desk adds a task for the criminal brigade; the sub-bureau's duty leader demo007
 * instructs the criminal brigade.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Directory,
  Root,
  addFinding,
  addTask,
  giveInstruction,
  groupFactsOf,
  invitePost,
  mayWriteRecord,
  directoryFromObject,
  pushClue,
  readMeta,
  startGroup,
} from '@muster/core';
import type { PostRef } from '@muster/core';
import type { LoginResponse } from '@muster/protocol';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { REPO_ROOT, startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const GROUP = 'grp-policy-matrix';
const mgmt: PostRef = { id: 'p-e-mgmt', name: '协同管理岗', unitId: 'sb-e', unitName: '东城分局', kind: 'management' };
const cid: PostRef = { id: 'p-e-cid', name: '协同支撑岗', unitId: 'br-e-cid', unitName: '刑警大队', kind: 'support' };
const legal: PostRef = {
  id: 'p-e-legal',
  name: '协同支撑岗',
  unitId: 'br-e-legal',
  unitName: '法制大队',
  kind: 'support',
};

type Who = 'initiator' | 'patrol member' | 'criminal desk' | 'management desk' | 'overseeing leader';
/** Who plays each part: role, duty and relation to the group. */
const PEOPLE: Record<Who, string> = {
  initiator: 'demo015', // frontline + desk of 东湖派出所, started the group
  'patrol member': 'demo016', // patrol officer of 东湖派出所, member through a clue, no duty post
  'criminal desk': 'demo010', // desk on duty at p-e-cid (invited)
  'management desk': 'demo005', // desk on duty at p-e-mgmt (invited)
  'overseeing leader': 'demo007', // leader on duty at p-e-leader (东城分局 oversees 东湖派出所)
};

type Actor = { personId: string; name: string };
interface Row {
  who: Who;
  act: string;
  root: string;
  key: string;
  record: (me: Actor) => Record<string, unknown>;
  allowed: boolean;
  /** The refusal code (core and relay). */
  code?: string;
}

const T = 1_767_250_000_000;
const ROWS: Row[] = [
  // POL-18 REVIEW-3: lessons of the review are written once the group is closed (this one is open).
  {
    who: 'initiator',
    act: 'write a lesson of the review while the group is open',
    root: Root.lessons,
    key: 'x-lesson',
    record: (me) => ({ id: 'x-lesson', text: '过早的经验教训', author: me, deviceTime: T }),
    allowed: false,
    code: 'not-closed',
  },
  // Every case of the forged patrol officer the policy must refuse.
  {
    who: 'patrol member',
    act: 'instruct (批示) an officer of another sub-bureau',
    root: Root.entries,
    key: 'x-ins-other',
    record: (me) => ({
      id: 'x-ins-other',
      type: 'instruction',
      text: '去现场',
      to: [{ kind: 'person', id: 'demo030', name: 'W' }],
      author: me,
      postId: null,
      deviceTime: T,
    }),
    allowed: false,
    code: 'not-a-leader',
  },
  {
    who: 'patrol member',
    act: "acknowledge the leader's instruction for the criminal brigade's post",
    root: Root.acks,
    key: 'x-ack-cid',
    record: (me) => ({ id: 'x-ack-cid', entryId: 'ins-1', kind: 'ack', by: me, postId: 'p-e-cid', deviceTime: T }),
    allowed: false,
    code: 'not-on-duty',
  },
  {
    who: 'patrol member',
    act: "waive the criminal brigade's task",
    root: Root.taskEvents,
    key: 'x-waive',
    record: (me) => ({ id: 'x-waive', taskId: 'task-cid', kind: 'waived', text: '不用了', by: me, deviceTime: T }),
    allowed: false,
    code: 'not-your-task',
  },
  {
    who: 'patrol member',
    act: 'invite a post',
    root: Root.invitations,
    key: 'x-inv',
    record: (me) => ({ id: 'x-inv', post: legal, deadlineMinutes: 30, invitedBy: me, deviceTime: T }),
    allowed: false,
    code: 'may-not-invite',
  },
  {
    who: 'patrol member',
    act: "sign for the criminal brigade's post",
    root: Root.signoffs,
    key: 'x-sign',
    record: (me) => ({ id: 'x-sign', invitationId: 'inv-cid', postId: 'p-e-cid', by: me, deviceTime: T }),
    allowed: false,
    code: 'not-on-duty',
  },
  {
    who: 'patrol member',
    act: 'write 200 KB into a made-up root',
    root: 'junk',
    key: 'x-junk',
    record: () => ({ blob: 'x'.repeat(200_000) }),
    allowed: false,
    code: 'unknown-root',
  },
  {
    who: 'patrol member',
    act: 'write a 3 MB finding',
    root: Root.entries,
    key: 'x-big',
    record: (me) => ({ id: 'x-big', type: 'finding', text: 'x'.repeat(3_000_000), author: me, deviceTime: T }),
    allowed: false,
    code: 'too-large',
  },
  {
    who: 'patrol member',
    act: "write a finding in the criminal desk's name",
    root: Root.entries,
    key: 'x-imp',
    record: () => ({
      id: 'x-imp',
      type: 'finding',
      text: 'x',
      author: { personId: 'demo010', name: 'C' },
      deviceTime: T,
    }),
    allowed: false,
    code: 'impersonation',
  },
  {
    who: 'patrol member',
    act: 'write an entry of an unknown kind',
    root: Root.entries,
    key: 'x-poem',
    record: (me) => ({ id: 'x-poem', type: 'poem', text: 'x', author: me, deviceTime: T }),
    allowed: false,
    code: 'unknown-kind',
  },
  {
    who: 'patrol member',
    act: 'add a finding',
    root: Root.entries,
    key: 'ok-f',
    record: (me) => ({ id: 'ok-f', type: 'finding', text: '看到嫌疑人', author: me, deviceTime: T }),
    allowed: true,
  },
  // POL-20 REMIND-1: 催办 by whoever runs the group or the clue's or invitation's author
  {
    who: 'patrol member',
    act: "re-notify (催办) the criminal brigade's invitation",
    root: Root.reminders,
    key: 'x-remind-inv',
    record: (me) => ({ id: 'x-remind-inv', refKind: 'invitation', refId: 'inv-cid', by: me, deviceTime: T }),
    allowed: false,
    code: 'may-not-remind',
  },
  {
    who: 'patrol member',
    act: "re-notify (催办) the initiator's clue",
    root: Root.reminders,
    key: 'x-remind-clue',
    record: (me) => ({ id: 'x-remind-clue', refKind: 'clue', refId: 'clue-1', by: me, deviceTime: T }),
    allowed: false,
    code: 'may-not-remind',
  },
  {
    who: 'management desk',
    act: "re-notify (催办) the criminal brigade's invitation",
    root: Root.reminders,
    key: 'ok-remind-inv',
    record: (me) => ({ id: 'ok-remind-inv', refKind: 'invitation', refId: 'inv-cid', by: me, deviceTime: T }),
    allowed: true,
  },
  {
    who: 'initiator',
    act: 're-notify (催办) his clue',
    root: Root.reminders,
    key: 'ok-remind-clue',
    record: (me) => ({ id: 'ok-remind-clue', refKind: 'clue', refId: 'clue-1', by: me, deviceTime: T }),
    allowed: true,
  },
  // POL-20 REMIND-4: 催办 of an instruction by its author (the leader) or whoever runs the group
  {
    who: 'patrol member',
    act: "re-notify (催办) the leader's instruction",
    root: Root.reminders,
    key: 'x-remind-ins',
    record: (me) => ({ id: 'x-remind-ins', refKind: 'instruction', refId: 'ins-1', by: me, deviceTime: T }),
    allowed: false,
    code: 'may-not-remind',
  },
  {
    who: 'overseeing leader',
    act: 're-notify (催办) his instruction',
    root: Root.reminders,
    key: 'ok-remind-ins',
    record: (me) => ({ id: 'ok-remind-ins', refKind: 'instruction', refId: 'ins-1', by: me, deviceTime: T }),
    allowed: true,
  },
  // POL-21 KEEP-2: a legal hold by a leader acting in the group only
  {
    who: 'management desk',
    act: 'place a legal hold (runs the group, but no leader)',
    root: Root.holdRequests,
    key: 'x-hold',
    record: (me) => ({ id: 'x-hold', on: true, reason: '保全', by: me, postId: 'p-e-mgmt', deviceTime: T }),
    allowed: false,
    code: 'may-not-hold',
  },
  {
    who: 'overseeing leader',
    act: 'place a legal hold',
    root: Root.holdRequests,
    key: 'ok-hold',
    record: (me) => ({ id: 'ok-hold', on: true, reason: '保全', by: me, postId: 'p-e-leader', deviceTime: T }),
    allowed: true,
  },
  {
    who: 'patrol member',
    act: 'acknowledge the clue for himself',
    root: Root.acks,
    key: 'ok-ack',
    record: (me) => ({ id: 'ok-ack', entryId: 'clue-1', kind: 'ack', by: me, postId: null, deviceTime: T }),
    allowed: true,
  },
  {
    who: 'patrol member',
    act: "push a clue straight to the criminal brigade's post (POL-8: a clue targets units, never posts)",
    root: Root.entries,
    key: 'x-clue-post',
    record: (me) => ({
      id: 'x-clue-post',
      type: 'clue',
      text: 'x',
      targetUnitIds: ['p-e-cid'],
      author: me,
      deviceTime: T,
    }),
    allowed: false,
    code: 'foreign-unit',
  },
  {
    who: 'patrol member',
    act: 'push a clue to the airport police (an outside unit)',
    root: Root.entries,
    key: 'ok-clue',
    record: (me) => ({
      id: 'ok-clue',
      type: 'clue',
      text: 'x',
      targetUnitIds: ['out-airport'],
      author: me,
      deviceTime: T,
    }),
    allowed: true,
  },
  {
    who: 'overseeing leader',
    act: 'instruct an officer of another sub-bureau',
    root: Root.entries,
    key: 'x-ins-far',
    record: (me) => ({
      id: 'x-ins-far',
      type: 'instruction',
      text: '配合',
      to: [{ kind: 'person', id: 'demo030', name: 'W' }],
      author: me,
      postId: 'p-e-leader',
      deviceTime: T,
    }),
    allowed: false,
    code: 'foreign-addressee',
  },
  {
    who: 'overseeing leader',
    act: "instruct the criminal brigade's post",
    root: Root.entries,
    key: 'ok-ins',
    record: (me) => ({
      id: 'ok-ins',
      type: 'instruction',
      text: '加快',
      to: [{ kind: 'post', id: 'p-e-cid', name: 'C' }],
      author: me,
      postId: 'p-e-leader',
      deviceTime: T,
    }),
    allowed: true,
  },
  {
    who: 'criminal desk',
    act: "waive his own post's task (he did not assign it)",
    root: Root.taskEvents,
    key: 'x-waive-own',
    record: (me) => ({ id: 'x-waive-own', taskId: 'task-cid', kind: 'waived', text: '不做', by: me, deviceTime: T }),
    allowed: false,
    code: 'not-your-task',
  },
  {
    who: 'criminal desk',
    act: "complete his own post's task",
    root: Root.taskEvents,
    key: 'ok-done',
    record: (me) => ({ id: 'ok-done', taskId: 'task-cid', kind: 'done', text: '完成', by: me, deviceTime: T }),
    allowed: true,
  },
  {
    who: 'criminal desk',
    act: 'sign for his post',
    root: Root.signoffs,
    key: 'ok-sign',
    record: (me) => ({ id: 'ok-sign', invitationId: 'inv-cid', postId: 'p-e-cid', by: me, deviceTime: T }),
    allowed: true,
  },
  {
    who: 'criminal desk',
    act: 'acknowledge the instruction for his post',
    root: Root.acks,
    key: 'ok-ack-cid',
    record: (me) => ({ id: 'ok-ack-cid', entryId: 'ins-1', kind: 'ack', by: me, postId: 'p-e-cid', deviceTime: T }),
    allowed: true,
  },
  {
    who: 'management desk',
    act: "waive the criminal brigade's task (runs the group)",
    root: Root.taskEvents,
    key: 'ok-waive',
    record: (me) => ({
      id: 'ok-waive',
      taskId: 'task-cid',
      kind: 'waived',
      text: '已由现场取得',
      by: me,
      deviceTime: T,
    }),
    allowed: true,
  },
  {
    who: 'management desk',
    act: 'invite a post',
    root: Root.invitations,
    key: 'ok-inv',
    record: (me) => ({ id: 'ok-inv', post: legal, deadlineMinutes: 30, invitedBy: me, deviceTime: T }),
    allowed: true,
  },
];

function demoDirectory(): Directory {
  const text = readFileSync(path.join(REPO_ROOT, 'packages/core/demo/city.json'), 'utf8');
  const r = directoryFromObject(JSON.parse(text), 'city.json');
  if (!r.ok) throw new Error('demo city does not parse');
  return new Directory(r.directory);
}

describe('POL-1 POL-2: the policy matrix (role, duty, relation × act), core and relay', () => {
  let server: TestServer;
  let honest: GroupClient;
  const logins = new Map<Who, LoginResponse>();
  const clients: GroupClient[] = [];
  const actor = (who: Who): Actor => {
    const l = logins.get(who)!;
    return { personId: l.person.id, name: l.person.name };
  };

  /** A synced replica as `who`; retried while the relay has not registered the person yet (4403). */
  async function replica(who: Who): Promise<GroupClient> {
    for (let attempt = 0; ; attempt++) {
      const c = connectGroup(server.wsUrl, GROUP, logins.get(who)!.token, new Y.Doc());
      clients.push(c);
      const ok = await waitFor(() => (c.provider.synced && readMeta(c.doc) ? 'ok' : c.closes.length ? 'closed' : null));
      if (ok === 'ok') return c;
      c.destroy();
      if (attempt > 50) throw new Error(`${who} never admitted`);
    }
  }

  beforeAll(async () => {
    server = await startServer();
    for (const who of Object.keys(PEOPLE) as Who[]) logins.set(who, await login(server.url, PEOPLE[who]));
    honest = connectGroup(server.wsUrl, GROUP, logins.get('initiator')!.token);
    clients.push(honest);
    await waitFor(() => honest.provider.synced, 20_000, 'honest synced');
    const me = actor('initiator');
    honest.doc.transact(() => {
      startGroup(honest.doc, {
        id: GROUP,
        kind: 'incident',
        title: 'T',
        unitId: 'st-e1',
        initiator: me,
        deviceTime: T,
      });
      invitePost(honest.doc, { id: 'inv-mgmt', post: mgmt, invitedBy: me, deviceTime: T });
      invitePost(honest.doc, { id: 'inv-cid', post: cid, invitedBy: me, deviceTime: T });
    });
    pushClue(honest.doc, { id: 'clue-1', text: '嫌疑人向东', targetUnitIds: ['st-e1'], author: me, deviceTime: T });
    addTask(honest.doc, {
      id: 'task-cid',
      title: '调取监控',
      assignee: { kind: 'post', id: 'p-e-cid', name: '刑警大队' },
      author: me,
      deviceTime: T,
    });
    await waitFor(() => honest.fullyAcked(), 20_000, 'group acked');
    const leader = await replica('overseeing leader');
    giveInstruction(leader.doc, {
      id: 'ins-1',
      text: '刑警大队尽快调取监控',
      to: [{ kind: 'post', id: 'p-e-cid', name: '刑警大队' }],
      author: actor('overseeing leader'),
      postId: 'p-e-leader',
      deviceTime: T,
    });
    await waitFor(() => leader.fullyAcked(), 20_000, 'instruction acked');
    await waitFor(() => honest.doc.getMap(Root.entries).has('ins-1'), 20_000, 'instruction synced');
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server.stop();
  });

  it.each(ROWS)('core: $who may $act → allowed $allowed', (row) => {
    const dir = demoDirectory();
    const p = dir.person(PEOPLE[row.who])!;
    const ctx = {
      dir,
      subject: { personId: p.id, unitId: p.unitId, roles: p.roles },
      group: groupFactsOf(honest.doc),
      doc: honest.doc,
      starting: false,
    };
    const v = mayWriteRecord(ctx, row.root, row.key, row.record({ personId: p.id, name: p.name }));
    if (row.allowed) expect(v).toEqual({ ok: true });
    else expect(v).toMatchObject({ ok: false, code: row.code });
  });

  it('relay: every refused row, forged on the wire, is refused with a notice and the honest client loses nothing', async () => {
    const refused = ROWS.filter((r) => !r.allowed);
    const forgers = new Map<Who, GroupClient>();
    let n = 0;
    for (const row of refused) {
      let forger = forgers.get(row.who);
      if (!forger) forgers.set(row.who, (forger = await replica(row.who)));
      const f = forger;
      f.doc.getMap(row.root).set(row.key, row.record(actor(row.who)));
      // Meanwhile the honest client keeps working.
      addFinding(honest.doc, { id: `honest-${n++}`, text: `仍在工作 ${n}`, author: actor('initiator'), deviceTime: T });
      const notice = await waitFor(
        () => f.notices.find((x) => x.kind === 'refused' && x.keys?.includes(`${row.root}/${row.key}`)),
        30_000,
        `refusal of ${row.act}`,
      );
      expect(notice.code, row.act).toBe(row.code);
    }
    await waitFor(() => honest.fullyAcked(), 30_000, 'honest work acked');
    // A fresh reader sees the server's copy: every honest finding, no forged record.
    const reader = await replica('initiator');
    for (let i = 0; i < n; i++) expect(reader.doc.getMap(Root.entries).has(`honest-${i}`)).toBe(true);
    for (const row of refused) expect(reader.doc.getMap(row.root).has(row.key), row.act).toBe(false);
    expect(reader.doc.share.has('junk') ? reader.doc.getMap('junk').size : 0).toBe(0);
  });
});
