/**
 * Steps of the cluster tests that kill a group's owner (kill -9) while one of its writes is in flight: the test holds
 * a lock of its own in PostgreSQL, waits until the owner's writes wait on it, kills the owner, releases the lock,
 * and finally checks the one audit chain.
 */
import { expect } from 'vitest';
import pg from 'pg';
import type { AuditHeadResponse } from '@muster/protocol';
import { login } from './clients.ts';
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
