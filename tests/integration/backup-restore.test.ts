/**
 * BACKUP-1, BACKUP-2 with real processes: `npm run backup` is taken while two clients keep writing findings (and a
 * photo is stored) on a running relay; `npm run restore` verifies it and puts it into a fresh data dir, and a relay
 * started there holds every finding acknowledged before the backup began, the photo, the logins (token secret)
 * and an audit log that verifies. A backup whose photo was altered is refused and restores nothing.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { Root, addFinding, startGroup } from '@muster/core';
import { connectGroup, login, waitFor } from '../helpers/clients.ts';
import type { GroupClient } from '../helpers/clients.ts';
import { makePng } from '../helpers/png.ts';
import { REPO_ROOT, startServer } from '../helpers/startServer.ts';
import type { TestServer } from '../helpers/startServer.ts';

const GROUP = 'grp-backup';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI of the package scripts (as `npm run backup|restore -- …` does) without blocking this process. */
function npmScript(script: 'backup' | 'restore', args: string[], dataDir: string): Promise<Run> {
  const cli = path.join(REPO_ROOT, `sync-server/src/backup/${script}Cli.ts`);
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, MUSTER_DATA_DIR: dataDir },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe('BACKUP-1, BACKUP-2: backup under write load, restore into a fresh data dir', () => {
  let server: TestServer;
  let restored: TestServer | null = null;
  const clients: GroupClient[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-backup-'));
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
    await restored?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('BACKUP-1 BACKUP-2: a backup taken while findings are written restores whole and verifies', async () => {
    const a = await login(server.url, 'demo015');
    const actor = { personId: a.person.id, name: a.person.name };
    const writer = connectGroup(server.wsUrl, GROUP, a.token);
    clients.push(writer);
    await waitFor(() => writer.provider.synced, 20_000, 'synced');
    writer.doc.transact(() =>
      startGroup(writer.doc, {
        id: GROUP,
        kind: 'task',
        title: '备份',
        unitId: a.person.unitId,
        initiator: actor,
        deviceTime: 1,
      }),
    );
    await waitFor(() => writer.fullyAcked(), 20_000, 'group acked');
    const photo = makePng(64, 64, { noise: true });
    const hash = crypto.createHash('sha256').update(photo).digest('hex');
    const put = await fetch(`${server.url}/api/photos/${hash}?group=${GROUP}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(photo),
    });
    expect(put.status).toBe(201);

    // Write load: a finding after each acknowledgement, until told to stop.
    let writing = true;
    let n = 0;
    const acked: string[] = [];
    const load = (async () => {
      while (writing) {
        const id = `f${n++}`;
        writer.doc.transact(() =>
          addFinding(writer.doc, { id, text: `记录 ${id} ${'x'.repeat(400)}`, author: actor, deviceTime: n }),
        );
        await waitFor(() => writer.ackCovers(Root.entries, id), 20_000, `ack ${id}`);
        acked.push(id);
      }
    })();
    await waitFor(() => acked.length >= 20, 30_000, '20 findings acknowledged');
    const ackedBefore = [...acked];
    // An auditor's device fetches the chain head: the relay signs a checkpoint (AUDIT-6) the restore must find.
    const auditor = await login(server.url, 'demo004');
    const head = await fetch(`${server.url}/api/audit/head`, { headers: { authorization: `Bearer ${auditor.token}` } });
    expect(head.status).toBe(200);
    const backupDir = path.join(tmp, 'backup');
    const backup = await npmScript('backup', [backupDir], server.dataDir);
    const ackedDuring = acked.length - ackedBefore.length;
    writing = false;
    await load;
    expect(backup.status, backup.stderr).toBe(0);
    // the writes went on while the backup was taken
    expect(ackedDuring).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(backupDir, 'audit-checkpoints.jsonl'), 'utf8').trim().length).toBeGreaterThan(0);

    const dataDir = path.join(tmp, 'restored-data');
    const restore = await npmScript('restore', [backupDir], dataDir);
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/restored .* 1 photos/);

    restored = await startServer({ dataDir });
    // the token secret came along: the old token still opens the group
    const reader = connectGroup(restored.wsUrl, GROUP, a.token, new Y.Doc());
    clients.push(reader);
    await waitFor(() => reader.provider.synced, 20_000, 'reader synced on the restored relay');
    const entries = reader.doc.getMap(Root.entries);
    for (const id of ackedBefore) expect(entries.has(id), id).toBe(true);
    const got = await fetch(`${restored.url}/api/photos/${hash}?group=${GROUP}`, {
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(photo)).toBe(true);
    const relogin = await login(restored.url, 'demo005');
    expect(relogin.token.length).toBeGreaterThan(10);
    expect(restored.output()).not.toMatch(/audit.*(TRUNCATED|REWRITTEN|does not verify)/i);
  }, 180_000);

  it('BACKUP-2: a backup whose photo was altered is refused, naming the photo, and the data dir stays as it was', async () => {
    const backupDir = path.join(tmp, 'backup');
    const altered = path.join(tmp, 'altered');
    fs.cpSync(backupDir, altered, { recursive: true });
    const photosRoot = path.join(altered, 'photos');
    const prefix = fs.readdirSync(photosRoot).find((d) => /^[0-9a-f]{2}$/.test(d))!;
    const name = fs.readdirSync(path.join(photosRoot, prefix)).find((f) => /^[0-9a-f]{62}$/.test(f))!;
    const file = path.join(photosRoot, prefix, name);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1]! ^= 0xff;
    fs.writeFileSync(file, bytes);
    const target = path.join(tmp, 'untouched');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep'), 'x');
    const r = await npmScript('restore', [altered], target);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`photos/${prefix}/${name}: bytes do not match the name`);
    expect(fs.readdirSync(target)).toEqual(['keep']);
  });

  it('BACKUP-2: a backup whose audit log was cut short (manifest re-hashed to match) is refused against its signed checkpoint', async () => {
    const cut = path.join(tmp, 'cut');
    fs.cpSync(path.join(tmp, 'backup'), cut, { recursive: true });
    const dbFile = path.join(cut, 'muster.sqlite');
    const db = new Database(dbFile);
    for (const t of db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()) {
      db.exec(`DROP TRIGGER "${t.name}"`);
    }
    db.exec('DELETE FROM audit WHERE seq > (SELECT MAX(seq) - 5 FROM audit)');
    db.close();
    const manifestFile = path.join(cut, 'backup.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { files: Record<string, string> };
    manifest.files['muster.sqlite'] = crypto.createHash('sha256').update(fs.readFileSync(dbFile)).digest('hex');
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const r = await npmScript('restore', [cut], path.join(tmp, 'never'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/audit log: .*TRUNCATED/);
    expect(fs.existsSync(path.join(tmp, 'never'))).toBe(false);
  });
});
