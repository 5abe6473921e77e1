/**
 * LOCK-1: the app-lock PIN. Only a salted PBKDF2-SHA-256 hash is kept on the device (never the PIN), so the device
 * checks a PIN offline. Pure apart from WebCrypto: tested in Node.
 */
export interface PinRecord {
  personId: string;
  salt: string;
  hash: string;
  iterations: number;
}

export const PIN_ITERATIONS = 100_000;
/** LOCK-4: wrong PINs in a row after which the device forgets the PIN and asks for an online password login. */
export const MAX_PIN_TRIES = 5;
const PIN = /^[0-9]{4,8}$/;

/** A PIN is 4 to 8 digits. */
export function validPin(pin: string): boolean {
  return PIN.test(pin);
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function unhex(s: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

async function derive(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return hex(new Uint8Array(bits));
}

export async function makePinRecord(personId: string, pin: string, iterations = PIN_ITERATIONS): Promise<PinRecord> {
  if (!validPin(pin)) throw new Error('a PIN is 4 to 8 digits');
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { personId, salt: hex(salt), hash: await derive(pin, salt, iterations), iterations };
}

export async function checkPin(record: PinRecord, pin: string): Promise<boolean> {
  if (!validPin(pin)) return false;
  return (await derive(pin, unhex(record.salt), record.iterations)) === record.hash;
}

/** A stored record, or null when it is not one (a bad record asks for a new PIN at the next online login). */
export function parsePinRecord(v: unknown): PinRecord | null {
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  const isHex = (x: unknown, len: number) => typeof x === 'string' && x.length === len && /^[0-9a-f]+$/.test(x);
  if (typeof r['personId'] !== 'string' || !isHex(r['salt'], 32) || !isHex(r['hash'], 64)) return null;
  const it = r['iterations'];
  if (typeof it !== 'number' || !Number.isInteger(it) || it < 1 || it > 10_000_000) return null;
  return { personId: r['personId'], salt: r['salt'] as string, hash: r['hash'] as string, iterations: it };
}

/** LOCK-2: minutes of inactivity before the lock, as the server said, kept within 1..30 (default 5). */
export function lockMinutes(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 5;
  return Math.min(30, Math.max(1, Math.round(v)));
}
