/**
 * A small declarative schema for untrusted JSON: a record is described once, as a shape, and both its TypeScript
 * type (`Infer`) and its parser (`parser`) derive from that description. A parse keeps only the declared fields, in
 * the declared order, and fails (null) on the first field that does not fit. No dependency: the PWA bundles core.
 */

/** What a failed parse returns inside the shapes; `parser` turns it into null. */
export const NO: unique symbol = Symbol('no');
type No = typeof NO;

/** How an object treats a field that is absent or does not fit; see the wrappers below. */
type Mode = 'required' | 'optional';

export interface Shape<T, M extends Mode = 'required'> {
  readonly mode: M;
  /** The value, or NO when it does not fit. `absent` is true when the field is missing from its object. */
  read(v: unknown, absent: boolean): T | No;
}

export type Infer<S> = S extends Shape<infer T, Mode> ? T : never;

const shape = <T>(check: (v: unknown) => T | No): Shape<T> => ({ mode: 'required', read: (v) => check(v) });

export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const isStr = (v: unknown, max = 10_000): v is string => typeof v === 'string' && v.length <= max;
export const isId = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v);
/** A time or duration in ms: a finite number, not negative. */
export const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
export const isMinutes = (v: unknown, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;

/** An id made on a device or by the directory: 1–64 of `A-Z a-z 0-9 _ -`. */
export const id: Shape<string> = shape((v) => (isId(v) ? v : NO));
/** A time (ms since epoch) or a duration: finite, not negative. */
export const time: Shape<number> = shape((v) => (isTime(v) ? v : NO));
export const bool: Shape<boolean> = shape((v) => (typeof v === 'boolean' ? v : NO));
/** A string of at most `max` UTF-16 code units. */
export const text = (max: number): Shape<string> => shape((v) => (isStr(v, max) ? v : NO));
/** A string matching `re`. */
export const pattern = (re: RegExp): Shape<string> => shape((v) => (typeof v === 'string' && re.test(v) ? v : NO));
/** A finite number within [lo, hi]. */
export const num = (lo: number, hi: number): Shape<number> =>
  shape((v) => (typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi ? v : NO));
/** A whole number within [lo, hi]. */
export const int = (lo: number, hi: number): Shape<number> =>
  shape((v) => (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? v : NO));
/** One of the given strings (a kind): the list itself is the one place the kinds are named. */
export const oneOf = <const K extends readonly string[]>(kinds: K): Shape<K[number]> =>
  shape((v) => (typeof v === 'string' && kinds.includes(v) ? (v as K[number]) : NO));
/** Exactly this string (a variant's tag). */
export const literal = <const L extends string>(tag: L): Shape<L> => shape((v) => (v === tag ? tag : NO));

/** A value `s` accepts that also passes `ok`. */
export const refine = <T>(s: Shape<T>, ok: (v: T) => boolean): Shape<T> =>
  shape((v) => {
    const r = s.read(v, false);
    return r !== NO && ok(r) ? r : NO;
  });

/** Either shape, tried in order. */
export const either = <A, B>(a: Shape<A>, b: Shape<B>): Shape<A | B> =>
  shape((v) => {
    const r = a.read(v, false);
    return r !== NO ? r : b.read(v, false);
  });

/** An array of `min`–`max` items, each of which must fit. */
export const list = <T>(item: Shape<T>, max: number, min = 0): Shape<T[]> =>
  shape((v) => {
    if (!Array.isArray(v) || v.length > max || v.length < min) return NO;
    const out: T[] = [];
    for (const x of v) {
      const r = item.read(x, false);
      if (r === NO) return NO;
      out.push(r);
    }
    return out;
  });

/** An object of at most `max` entries whose keys are ids and whose values fit `value`. */
export const dict = <T>(value: Shape<T>, max: number): Shape<Record<string, T>> =>
  shape((v) => {
    if (!isObj(v)) return NO;
    const keys = Object.keys(v);
    if (keys.length > max) return NO;
    const out: Record<string, T> = {};
    for (const k of keys) {
      const r = value.read(v[k], false);
      if (!isId(k) || r === NO) return NO;
      out[k] = r;
    }
    return out;
  });

/** Absent or null reads as null; anything else must fit. */
export const nullable = <T>(s: Shape<T>): Shape<T | null> =>
  shape((v) => (v === undefined || v === null ? null : s.read(v, false)));

/** A value that does not fit reads as null instead of failing its record. */
export const orNull = <T>(s: Shape<T>): Shape<T | null> =>
  shape((v) => {
    const r = s.read(v, false);
    return r === NO ? null : r;
  });

/**
 * An optional field: absent, it is left out; present, it must fit (the record fails otherwise) unless `lenient`,
 * when a value that does not fit is left out too. `omitEmpty` leaves out an empty array.
 */
export const optional = <T>(
  s: Shape<T>,
  opts: { lenient?: boolean; omitEmpty?: boolean } = {},
): Shape<T | undefined, 'optional'> => ({
  mode: 'optional',
  read(v, absent) {
    if (absent || v === undefined) return undefined;
    const r = s.read(v, false);
    if (r === NO) return opts.lenient ? undefined : NO;
    if (opts.omitEmpty && Array.isArray(r) && r.length === 0) return undefined;
    return r;
  },
});

type Fields = Record<string, Shape<unknown, Mode>>;
type Flat<T> = { [K in keyof T]: T[K] } & {};
type RequiredKeys<F extends Fields> = { [K in keyof F]: F[K] extends Shape<unknown, 'optional'> ? never : K }[keyof F];
type OptionalKeys<F extends Fields> = Exclude<keyof F, RequiredKeys<F>>;
export type ObjectOf<F extends Fields> = Flat<
  { [K in RequiredKeys<F>]: Infer<F[K]> } & { [K in OptionalKeys<F>]?: Exclude<Infer<F[K]>, undefined> }
>;

/** An object with exactly these fields (others are dropped), in this order. */
export const object = <F extends Fields>(fields: F): Shape<ObjectOf<F>> =>
  shape((v) => {
    if (!isObj(v)) return NO;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(fields)) {
      const r = fields[key]!.read(v[key], !(key in v));
      if (r === NO) return NO;
      if (r !== undefined) out[key] = r;
    }
    return out as ObjectOf<F>;
  });

/** One of several object shapes, chosen by the string in field `tag`. */
export const variants = <S extends Record<string, Shape<unknown>>>(tag: string, byTag: S): Shape<Infer<S[keyof S]>> =>
  shape((v) => {
    const t = isObj(v) ? v[tag] : undefined;
    const s = typeof t === 'string' && Object.hasOwn(byTag, t) ? byTag[t] : undefined;
    return s ? (s.read(v, false) as Infer<S[keyof S]>) : NO;
  });

/** The parser of a shape: the value as described, or null when it does not fit. */
export const parser =
  <T>(s: Shape<T>) =>
  (v: unknown): T | null => {
    const r = s.read(v, false);
    return r === NO ? null : r;
  };
