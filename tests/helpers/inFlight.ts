/**
 * Steps of the cluster tests that kill a group's owner (kill -9) while one of its writes is in flight: the test holds
 * a lock of its own in PostgreSQL, waits until the owner's writes wait on it, kills the owner, releases the lock,
 * and finally checks the one audit chain.
 */
import { expect } from 'vitest';
import pg from 'pg';
import type { AuditHeadResponse } from '@muster/protocol';
import { invitePost, startGroup } from '@muster/core';
import type { Actor } from '@muster/core';
import { connectGroup, login, waitFor } from './clients.ts';
import type { GroupClient } from './clients.ts';
import type { ClusterNode, TestCluster } from './cluster.ts';

export interface HeldLock {
  client: pg.Client;
  /** Its backend pid, which the owner's connections are seen blocked by. */
  pid: number;
}

/** A connection of the test's own to the cluster's schema, in an open transaction (BEGIN), to take a lock in. */
export async function openLockTransaction(cluster: TestCluster): Promise<HeldLock> {
  const client = new pg.Client({ connectionString: cluster.pgUrl, options: `-c search_path=${cluster.schema}` });
  await client.connect();
  await client.query('BEGIN');
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  return { client, pid };
}

/** True once a connection of node `ownerId` is blocked by `lockPid` and every other one waits on a lock or idles. */
export async function ownerWaitsOn(cluster: TestCluster, ownerId: string, lockPid: number): Promise<boolean> {
  const rows = (
    await cluster.pool.query<{ waiting: boolean; blocked: boolean; state: string | null }>(
      `SELECT wait_event_type = 'Lock' AS waiting, $2::int = ANY(pg_blocking_pids(pid)) AS blocked, state
       FROM pg_stat_activity WHERE application_name = $1`,
      [`muster-${ownerId}`, lockPid],
    )
  ).rows;
  return rows.some((r) => r.blocked) && rows.every((r) => r.waiting || r.state === 'idle');
}

/** The one chain verifies (the surviving node `next` signs a checkpoint of its head first). */
export async function expectChainVerifies(cluster: TestCluster, next: ClusterNode): Promise<void> {
  const auditor = await login(next.server.url, 'demo004');
  const head = await fetch(`${next.server.url}/api/audit/head`, {
    headers: { authorization: `Bearer ${auditor.token}` },
  });
  expect(head.status).toBe(200);
  const seq = ((await head.json()) as AuditHeadResponse).checkpoint!.seq;
  const verdict = cluster.auditVerify();
  expect(verdict.status, verdict.out).toBe(0);
  expect(verdict.out).toMatch(new RegExp(`audit chain intact: .*holds the checkpoint at seq=${seq}$`, 'm'));
}

/** The management desk's post, the first post each of these tests invites. */
export const MGMT_POST = {
  id: 'p-e-mgmt',
  name: '协同管理岗',
  unitId: 'sb-e',
  unitName: '东城分局',
  kind: 'management' as const,
};

/**
 * The initiator (demo015) starts task group `groupId` titled `title` and invites the management desk's post, through
 * the balancer; returns once both are acknowledged. The client is pushed to `clients` for the test's teardown.
 */
export async function startWithManagementInvite(
  cluster: TestCluster,
  groupId: string,
  title: string,
  clients: GroupClient[],
): Promise<{ A: GroupClient; actor: Actor }> {
  const a = await login(cluster.url, 'demo015');
  const actor = { personId: a.person.id, name: a.person.name };
  const A = connectGroup(cluster.wsUrl, groupId, a.token);
  clients.push(A);
  await waitFor(() => A.provider.synced, 30_000, 'initiator synced');
  A.doc.transact(() => {
    startGroup(A.doc, { id: groupId, kind: 'task', title, unitId: 'st-e1', initiator: actor, deviceTime: 1 });
    invitePost(A.doc, { id: 'inv-mgmt', post: MGMT_POST, invitedBy: actor, deviceTime: 2 });
  });
  await waitFor(() => A.fullyAcked(), 30_000, 'group and first invitation acknowledged');
  return { A, actor };
}
