import { describe, expect, it } from 'vitest';
import cityText from '../demo/city.json?raw';
import templatesText from '../demo/templates.json?raw';
import { Directory } from './directory.ts';
import { directoryFromObject } from './directoryImport.ts';
import { INCIDENT_TYPES, expandTemplate, parseTemplates } from './templates.ts';

describe('demo data (fictional city)', () => {
  const imported = directoryFromObject(JSON.parse(cityText), 'city.json');
  it('DIR-1: the demo city validates and has the units, posts and officers the report names', () => {
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    const d = imported.directory;
    expect(cityText).toContain('fictional');
    const count = (kind: string) => d.units.filter((u) => u.kind === kind).length;
    expect(count('sub-bureau')).toBeGreaterThanOrEqual(2);
    expect(count('station')).toBeGreaterThanOrEqual(6);
    expect(count('kiosk')).toBeGreaterThanOrEqual(3);
    expect(count('department')).toBeGreaterThanOrEqual(4); // anti-fraud centre + 3 city departments
    for (const name of [
      '刑警大队',
      '巡特警大队',
      '法制大队',
      '交警大队',
      '反诈中心',
      '机场公安局',
      '政务服务中心',
      '人口管理中心',
    ]) {
      expect(d.units.some((u) => u.name === name)).toBe(true);
    }
    expect(d.persons.length).toBeGreaterThanOrEqual(40);
    expect(d.persons.every((p) => /^demo\d{3}$/.test(p.policeNo))).toBe(true);
    expect(d.posts.some((p) => p.capabilities.includes('data-support'))).toBe(true);
    const dir = new Directory(d);
    for (const sb of d.units.filter((u) => u.kind === 'sub-bureau')) {
      expect(dir.postsOf(sb.id, 'management').length).toBeGreaterThan(0);
      expect(dir.postsOf(sb.id, 'leader').length).toBeGreaterThan(0);
    }
  });

  it('TPL-1/TPL-3: the demo templates are data, validate and every one expands for a station of each sub-bureau (TPL-2)', () => {
    const parsed = parseTemplates(JSON.parse(templatesText));
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    if (!parsed.ok || !imported.ok) return;
    const dir = new Directory(imported.directory);
    const types = new Set(parsed.templates.map((t) => t.incidentType));
    for (const t of INCIDENT_TYPES.filter((t) => t.id !== 'dispute')) expect(types.has(t.id)).toBe(true);
    for (const sb of imported.directory.units.filter((u) => u.kind === 'sub-bureau')) {
      const station = dir.childrenOf(sb.id).find((u) => u.kind === 'station');
      expect(station).toBeDefined();
      for (const t of parsed.templates) {
        const r = expandTemplate(t, dir, station!.id);
        expect(r.ok ? [] : r.errors).toEqual([]);
        if (r.ok) {
          expect(r.expansion.posts.length).toBe(t.posts.length);
          // Relative posts come from the station's own sub-bureau.
          for (const p of r.expansion.posts) {
            const sub = dir.subBureauOf(p.post.unitId);
            if (sub) expect(sub.id).toBe(sb.id);
          }
        }
      }
    }
  });
});
