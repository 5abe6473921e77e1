/**
 * A tiny rasterizer for the app icon, so PNG icons are generated at build time from the one SVG source without
 * native modules or network. It understands the subset the icon uses: `<rect>` (with `rx`), `<circle>`,
 * `<polygon>` and `<path>` with absolute M/L/H/V/Q/C/Z commands, solid `fill` colours, nonzero fill rule.
 */
import { deflateSync } from 'node:zlib';

type Pt = [number, number];
interface Shape {
  rings: Pt[][];
  rgba: [number, number, number, number];
  role: string | null;
}

export interface IconSvg {
  width: number;
  height: number;
  shapes: Shape[];
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

function colour(v: string | undefined): [number, number, number, number] {
  const hex = (v ?? '#000').trim();
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`icon: unsupported fill ${hex}`);
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16), 255];
}

const num = (v: string | undefined, d = 0): number => (v === undefined ? d : Number(v));

function bezier(p0: Pt, cps: Pt[], steps = 24): Pt[] {
  const out: Pt[] = [];
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    let pts = [p0, ...cps];
    while (pts.length > 1) {
      const next: Pt[] = [];
      for (let k = 0; k < pts.length - 1; k++) {
        const a = pts[k]!;
        const b = pts[k + 1]!;
        next.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);
      }
      pts = next;
    }
    out.push(pts[0]!);
  }
  return out;
}

function pathRings(d: string): Pt[][] {
  const tokens = d.match(/[MLHVQCZ]|-?\d*\.?\d+(?:e-?\d+)?/gi) ?? [];
  const rings: Pt[][] = [];
  let ring: Pt[] = [];
  let cur: Pt = [0, 0];
  let i = 0;
  let cmd = '';
  const n = () => Number(tokens[i++]);
  while (i < tokens.length) {
    if (/^[A-Za-z]$/.test(tokens[i]!)) cmd = tokens[i++]!;
    if (cmd !== cmd.toUpperCase()) throw new Error(`icon: relative path command ${cmd} unsupported`);
    switch (cmd) {
      case 'M':
        if (ring.length) rings.push(ring);
        cur = [n(), n()];
        ring = [cur];
        cmd = 'L';
        break;
      case 'L':
        cur = [n(), n()];
        ring.push(cur);
        break;
      case 'H':
        cur = [n(), cur[1]];
        ring.push(cur);
        break;
      case 'V':
        cur = [cur[0], n()];
        ring.push(cur);
        break;
      case 'Q': {
        const c: Pt = [n(), n()];
        const e: Pt = [n(), n()];
        ring.push(...bezier(cur, [c, e]));
        cur = e;
        break;
      }
      case 'C': {
        const c1: Pt = [n(), n()];
        const c2: Pt = [n(), n()];
        const e: Pt = [n(), n()];
        ring.push(...bezier(cur, [c1, c2, e]));
        cur = e;
        break;
      }
      case 'Z':
        if (ring.length) rings.push(ring);
        ring = [];
        cmd = '';
        break;
      default:
        throw new Error(`icon: path command ${cmd} unsupported`);
    }
  }
  if (ring.length) rings.push(ring);
  return rings;
}

function arc(cx: number, cy: number, r: number, from: number, to: number, steps = 16): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i <= steps; i++) {
    const a = from + ((to - from) * i) / steps;
    out.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  return out;
}

function rectRing(x: number, y: number, w: number, h: number, rx: number): Pt[] {
  if (rx <= 0)
    return [
      [x, y],
      [x + w, y],
      [x + w, y + h],
      [x, y + h],
    ];
  const r = Math.min(rx, w / 2, h / 2);
  const P = Math.PI;
  return [
    ...arc(x + w - r, y + r, r, -P / 2, 0),
    ...arc(x + w - r, y + h - r, r, 0, P / 2),
    ...arc(x + r, y + h - r, r, P / 2, P),
    ...arc(x + r, y + r, r, P, (3 * P) / 2),
  ];
}

export function parseIconSvg(svg: string): IconSvg {
  const root = /<svg\b[^>]*>/.exec(svg);
  if (!root) throw new Error('icon: no <svg> element');
  const vb = (attrs(root[0])['viewBox'] ?? '0 0 512 512').split(/[\s,]+/).map(Number);
  const shapes: Shape[] = [];
  const body = svg.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of body.matchAll(/<(rect|circle|polygon|path)\b[^>]*\/?>/g)) {
    const a = attrs(m[0]);
    const rgba = colour(a['fill']);
    const role = a['data-role'] ?? null;
    let rings: Pt[][];
    if (m[1] === 'rect') {
      rings = [rectRing(num(a['x']), num(a['y']), num(a['width']), num(a['height']), num(a['rx']))];
    } else if (m[1] === 'circle') {
      rings = [arc(num(a['cx']), num(a['cy']), num(a['r']), 0, 2 * Math.PI, 64)];
    } else if (m[1] === 'polygon') {
      const v = (a['points'] ?? '')
        .trim()
        .split(/[\s,]+/)
        .map(Number);
      const ring: Pt[] = [];
      for (let k = 0; k + 1 < v.length; k += 2) ring.push([v[k]!, v[k + 1]!]);
      rings = [ring];
    } else rings = pathRings(a['d'] ?? '');
    shapes.push({ rings, rgba, role });
  }
  return { width: vb[2] ?? 512, height: vb[3] ?? 512, shapes };
}

export interface RenderOptions {
  size: number;
  /** Maskable: the background fills the square and the rest is scaled into the 80 % safe zone. */
  maskable?: boolean;
}

/** Renders to RGBA pixels with 4×4 supersampling. */
export function render(icon: IconSvg, { size, maskable = false }: RenderOptions): Uint8Array {
  const px = new Float32Array(size * size * 4);
  const S = 4;
  const scale = size / icon.width;
  for (const shape of icon.shapes) {
    const isBg = shape.role === 'background';
    let rings = shape.rings;
    if (maskable && isBg) rings = [rectRing(0, 0, icon.width, icon.height, 0)];
    const k = maskable && !isBg ? 0.8 : 1;
    const c = icon.width / 2;
    const tr = rings.map((r) => r.map(([x, y]) => [(c + (x - c) * k) * scale, (c + (y - c) * k) * scale] as Pt));
    const cover = new Float32Array(size * size);
    for (let sy = 0; sy < size * S; sy++) {
      const y = (sy + 0.5) / S;
      const xs: { x: number; w: number }[] = [];
      for (const ring of tr) {
        for (let e = 0; e < ring.length; e++) {
          const [x0, y0] = ring[e]!;
          const [x1, y1] = ring[(e + 1) % ring.length]!;
          if (y0 === y1) continue;
          if (y < Math.min(y0, y1) || y >= Math.max(y0, y1)) continue;
          xs.push({ x: x0 + ((y - y0) / (y1 - y0)) * (x1 - x0), w: y1 > y0 ? 1 : -1 });
        }
      }
      if (xs.length === 0) continue;
      xs.sort((a, b) => a.x - b.x);
      let wind = 0;
      let j = 0;
      const row = Math.floor(sy / S) * size;
      for (let sx = 0; sx < size * S; sx++) {
        const x = (sx + 0.5) / S;
        while (j < xs.length && xs[j]!.x <= x) wind += xs[j++]!.w;
        if (wind !== 0) cover[row + Math.floor(sx / S)]! += 1 / (S * S);
      }
    }
    const [r, g, b] = shape.rgba;
    for (let p = 0; p < size * size; p++) {
      const a = Math.min(1, cover[p]!);
      if (a === 0) continue;
      const o = p * 4;
      const da = px[o + 3]!;
      const oa = a + da * (1 - a);
      px[o] = (r * a + px[o]! * da * (1 - a)) / oa;
      px[o + 1] = (g * a + px[o + 1]! * da * (1 - a)) / oa;
      px[o + 2] = (b * a + px[o + 2]! * da * (1 - a)) / oa;
      px[o + 3] = oa;
    }
  }
  const out = new Uint8Array(size * size * 4);
  for (let p = 0; p < size * size * 4; p += 4) {
    out[p] = Math.round(px[p]!);
    out[p + 1] = Math.round(px[p + 1]!);
    out[p + 2] = Math.round(px[p + 2]!);
    out[p + 3] = Math.round(px[p + 3]! * 255);
  }
  return out;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes RGBA pixels as a PNG (8-bit, colour type 6, no filtering). */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

export function iconPng(svg: string, opts: RenderOptions): Buffer {
  return encodePng(render(parseIconSvg(svg), opts), opts.size, opts.size);
}
