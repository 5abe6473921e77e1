import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config.ts';
import { readHttpSources } from './openSources.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'muster-sources-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A valid HTTP source (fictional service on a closed network). */
const source = (id: string, over: Record<string, unknown> = {}) => ({
  info: {
    id,
    name: { zh: '暂住登记（演示）', en: 'Residence permits (demo)' },
    intent: 'household',
    keys: ['person'],
    fields: [{ key: 'address', name: { zh: '暂住地址', en: 'Address' } }],
    sensitivity: 'sensitive',
    clearance: 1,
    ...over,
  },
  queryUrl: 'http://permits.internal.example/q?by={by}&v={value}',
  getUrl: 'http://permits.internal.example/p/{key}',
  rowsPath: 'items',
  keyPath: 'no',
  fieldPaths: { address: 'address' },
});

let n = 0;
const file = (content: string): string => {
  const f = path.join(dir, `sources-${++n}.json`);
  fs.writeFileSync(f, content);
  return f;
};

describe('MUSTER_LOOKUP_SOURCES', () => {
  it('ASSIST-5: a valid file gives its HTTP sources', () => {
    const sources = readHttpSources(file(JSON.stringify([source('permits'), source('permits-2')])));
    expect(sources.map((s) => s.info.id)).toEqual(['permits', 'permits-2']);
  });

  it('ASSIST-5: a bad file is a ConfigError naming the variable, the file and the problem', () => {
    const cases: [string, RegExp][] = [
      [path.join(dir, 'missing.json'), /cannot be read: ENOENT/],
      [file('[{"info": '), /is not JSON/],
      [file('{"info": {}}'), /expected a JSON array/],
      [file('[1]'), /source 1: an HTTP source must be an object/],
      [file(JSON.stringify([source('permits', { intent: 'horoscope' })])), /source 1: .*unknown intent horoscope/],
      [file(JSON.stringify([source('permits', { keys: ['car'] })])), /unknown key kind car/],
      [file(JSON.stringify([source('permits', { clearance: 3 })])), /clearance must be 0, 1 or 2/],
      [file(JSON.stringify([source('ok'), { ...source('permits'), queryUrl: 'file:///etc/x' }])), /source 2: .*http/],
      [file(JSON.stringify([{ ...source('permits'), fieldPaths: undefined }])), /fieldPaths/],
      [file(JSON.stringify([source('permits'), source('permits')])), /source 2: the id permits is taken/],
    ];
    for (const [f, problem] of cases) {
      let error: unknown = null;
      try {
        readHttpSources(f);
      } catch (e) {
        error = e;
      }
      expect(error, f).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain(`MUSTER_LOOKUP_SOURCES (${f})`);
      expect(message).toMatch(problem);
      expect(message).not.toContain('\n');
    }
  });

  it('ASSIST-5: an id the built-in sources use is taken', () => {
    expect(() => readHttpSources(file(JSON.stringify([source('cameras')])), ['cameras'])).toThrow(
      /the id cameras is taken/,
    );
  });
});
