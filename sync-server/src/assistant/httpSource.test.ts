import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSource } from './httpSource.ts';
import type { HttpSourceConfig } from './httpSource.ts';
import { SourceError } from './source.ts';
import { sourceContract } from './sourceContract.ts';

/** A department's internal service, fictional: temporary residence permits (暂住登记), by person key or phone. */
const PERMITS = [
  {
    permitNo: 'Z-1',
    holder: { key: 'P1', phone: '10000000001' },
    address: '建设路1号',
    since: '2025-01-02',
    landlord: '甲',
  },
  {
    permitNo: 'Z-2',
    holder: { key: 'P1', phone: '10000000001' },
    address: '人民路9号',
    since: '2024-03-04',
    landlord: '乙',
  },
  {
    permitNo: 'Z-3',
    holder: { key: 'P2', phone: '10000000002' },
    address: '中山路3号',
    since: '2023-05-06',
    landlord: '丙',
  },
];

interface Service {
  url: string;
  requests: string[];
  /** Status the next requests get instead of data (0: serve normally). */
  failWith: number;
  close(): Promise<void>;
}

async function startService(): Promise<Service> {
  const svc: Service = { url: '', requests: [], failWith: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    svc.requests.push(url.pathname + url.search);
    if (svc.failWith) {
      res.writeHead(svc.failWith).end('{');
      return;
    }
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/permits') {
      const by = url.searchParams.get('by');
      const v = url.searchParams.get('q');
      const hits = PERMITS.filter((p) =>
        by === 'person' ? p.holder.key === v : by === 'phone' ? p.holder.phone === v : false,
      );
      const limit = Number(url.searchParams.get('limit'));
      send(200, { data: { items: hits.slice(0, limit), count: hits.length } });
    } else if (url.pathname.startsWith('/permits/')) {
      const p = PERMITS.find((x) => x.permitNo === decodeURIComponent(url.pathname.slice(9)));
      if (p) send(200, p);
      else send(404, { error: 'not found' });
    } else send(404, {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  svc.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  svc.close = () => new Promise((r) => server.close(() => r()));
  return svc;
}

const config = (base: string): HttpSourceConfig => ({
  info: {
    id: 'residence-permits',
    name: { zh: '暂住登记（演示）', en: 'Residence permits (demo)' },
    intent: 'household',
    keys: ['person', 'phone'],
    fields: [
      { key: 'address', name: { zh: '暂住地址', en: 'Address' } },
      { key: 'since', name: { zh: '登记日期', en: 'Since' } },
      { key: 'landlord', name: { zh: '房东', en: 'Landlord' }, mask: 'name' },
    ],
    sensitivity: 'sensitive',
    clearance: 1,
  },
  queryUrl: `${base}/permits?by={by}&q={value}&limit={limit}`,
  getUrl: `${base}/permits/{key}`,
  rowsPath: 'data.items',
  totalPath: 'data.count',
  keyPath: 'permitNo',
  personKeyPath: 'holder.key',
  fieldPaths: { address: 'address', since: 'since', landlord: 'landlord' },
  timeoutMs: 5_000,
});

let svc: Service;
sourceContract('HTTP JSON source against a local service', async () => {
  svc = await startService();
  return {
    source: new HttpSource(config(svc.url)),
    known: { person: 'P1', phone: '10000000001' },
    cleanup: () => svc.close(),
  };
});

describe('HTTP JSON source', () => {
  let own: Service;
  beforeAll(async () => {
    own = await startService();
  });
  afterAll(() => own.close());

  it('ASSIST-5: maps rows by the configured paths and sends the subject URL-encoded', async () => {
    const s = new HttpSource(config(own.url));
    const r = await s.query({ by: 'person', value: 'P1', limit: 5 });
    expect(r.total).toBe(2);
    expect(r.rows[0]).toEqual({
      key: 'Z-1',
      personKey: 'P1',
      values: { address: '建设路1号', since: '2025-01-02', landlord: '甲' },
    });
    await s.query({ by: 'phone', value: '100 &x=1', limit: 1 });
    expect(own.requests.at(-1)).toBe('/permits?by=phone&q=100%20%26x%3D1&limit=1');
  });

  it('ASSIST-5: a failing service is a SourceError, never a crash or a made-up answer', async () => {
    const s = new HttpSource(config(own.url));
    own.failWith = 500;
    try {
      await expect(s.query({ by: 'person', value: 'P1', limit: 5 })).rejects.toBeInstanceOf(SourceError);
    } finally {
      own.failWith = 0;
    }
    const gone = new HttpSource(config('http://127.0.0.1:9'));
    await expect(gone.query({ by: 'person', value: 'P1', limit: 5 })).rejects.toBeInstanceOf(SourceError);
  });

  it('ASSIST-5: a configuration without a path for a field, or with a non-HTTP URL, is refused at start', () => {
    const c = config(own.url);
    expect(() => new HttpSource({ ...c, fieldPaths: { address: 'address' } })).toThrow(/no path for field since/);
    expect(() => new HttpSource({ ...c, queryUrl: 'file:///etc/passwd' })).toThrow(/must be http/);
  });
});
