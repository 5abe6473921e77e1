/**
 * ASSIST-12: where "here" is for a place look-up (cameras near the scene): the position of the latest finding that
 * carries one (LOC-1), in derived order, when the question is read on the relay at the moment of the question;
 * otherwise the incident's address. A position is written into the query as `lat,lon` (5 decimals, about 1 m).
 */
import type * as Y from 'yjs';
import { readMeta } from '../group.ts';
import { stampedRecords } from '../records.ts';
import { Root } from '../schema.ts';
import type { GeoPoint } from '../schema.ts';
import { parseEntry } from '../validate.ts';

export type Place = { kind: 'point'; value: string; point: GeoPoint } | { kind: 'address'; value: string };

/** `lat,lon` with 5 decimals. */
export function pointValue(p: { lat: number; lon: number }): string {
  return `${p.lat.toFixed(5)},${p.lon.toFixed(5)}`;
}

/** A `lat,lon` value back as numbers; null when it is not one. */
export function parsePointValue(value: string): { lat: number; lon: number } | null {
  const m = /^(-?\d{1,2}(?:\.\d{1,7})?),(-?\d{1,3}(?:\.\d{1,7})?)$/.exec(value);
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : null;
}

/** The latest located finding's position (derived order), or null. */
export function latestFindingPoint(doc: Y.Doc): GeoPoint | null {
  let out: GeoPoint | null = null;
  for (const e of stampedRecords(doc, Root.entries, parseEntry)) {
    if (e.record.type === 'finding' && e.record.location) out = e.record.location;
  }
  return out;
}

/**
 * The places "here" may mean, best first: the latest finding's position (when `pointOk`: a source can be asked by
 * position), then the incident's address. Empty when the group has neither.
 */
export function herePlaces(doc: Y.Doc, pointOk: boolean): Place[] {
  const out: Place[] = [];
  const point = pointOk ? latestFindingPoint(doc) : null;
  if (point) out.push({ kind: 'point', value: pointValue(point), point });
  const address = readMeta(doc)?.incident?.address?.trim();
  if (address) out.push({ kind: 'address', value: address });
  return out;
}
