/**
 * Ids made on the device (groups start offline). `crypto.randomUUID` exists only in secure contexts (https,
 * localhost); a police LAN may serve plain http, so fall back to `getRandomValues`. Core accepts
 * `[A-Za-z0-9_-]{1,64}`, the relay's doc names need at least 6 characters: a UUID fits both.
 */
export function newId(c: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = crypto): string {
  if (typeof c.randomUUID === 'function') {
    try {
      return c.randomUUID();
    } catch {
      // not a secure context
    }
  }
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
