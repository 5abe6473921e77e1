/**
 * LOCK-1..3: the app lock. Lock, don't log out: an officer who steps away keeps the session (and everything unsent,
 * which goes on syncing behind the lock); the app locks after minutes of inactivity (LOCK-2) or on request, and opens
 * again with the officer's PIN, checked on the device, offline too. The PIN is set after the first online login on
 * a device; only its salted hash is kept (`pin.ts`).
 *
 * LOCK-4: after MAX_PIN_TRIES wrong PINs in a row (counted across reloads) the device forgets the PIN and the gate
 * asks for the officer's password, checked by the server (so online only); then a new PIN is set. The session, its
 * unsent work and its syncing stay as they are: it is the same officer.
 */
import { MAX_PIN_TRIES, checkPin, lockMinutes, makePinRecord, parsePinRecord, validPin } from '../device/pin.ts';

const PIN_KEY = (personId: string) => `muster.pin.${personId}`;
/** LOCK-4: wrong PINs in a row, and whether they reached the limit (then only a password opens). */
const TRIES_KEY = (personId: string) => `muster.pinTries.${personId}`;
const MINUTES_KEY = 'muster.lockMinutes';
const ACTIVE_KEY = 'muster.lastActive';
/** Activity is written down at most this often (a reload inside the lock time stays open). */
const NOTE_EVERY_MS = 5_000;
const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage unavailable: the lock still works for this run of the app
  }
}

function remove(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // storage unavailable
  }
}

export type LockGate = 'open' | 'set-pin' | 'locked' | 'password';

export class AppLock {
  /** What stands before the app: nothing, setting a PIN, or the lock screen. */
  gate = $state<LockGate>('open');
  /** LOCK-2: minutes of inactivity before the lock (the admin's setting, kept within 1..30). */
  minutes = $state(lockMinutes(Number(read(MINUTES_KEY) ?? 5)));
  failures = $state(0);

  private personId: string | null = null;
  private lastActive = Date.now();
  private noted = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private listening = false;

  /** A session was restored at start: locked when the app sat unused longer than the lock time. */
  resume(personId: string): void {
    this.personId = personId;
    this.failures = this.readTries(personId);
    const last = Number(read(ACTIVE_KEY) ?? 0);
    if (this.failures >= MAX_PIN_TRIES) this.gate = 'password';
    else if (!this.hasPin(personId)) this.gate = 'set-pin';
    else if (!Number.isFinite(last) || Date.now() - last >= this.minutes * 60_000) this.gate = 'locked';
    else this.gate = 'open';
    if (this.gate === 'open') this.active(last);
    this.listen();
  }

  /** A login on this device (online): the officer sets a PIN unless one is kept for them. */
  afterLogin(personId: string): void {
    this.personId = personId;
    this.failures = 0;
    remove(TRIES_KEY(personId));
    this.gate = this.hasPin(personId) ? 'open' : 'set-pin';
    this.active();
    this.listen();
  }

  /** Logged out: no lock until the next login (the PIN stays for the same officer). */
  stop(): void {
    this.personId = null;
    this.gate = 'open';
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  setMinutes(value: unknown): void {
    this.minutes = lockMinutes(value);
    write(MINUTES_KEY, String(this.minutes));
    this.schedule();
  }

  async setPin(pin: string): Promise<boolean> {
    if (!this.personId || this.gate === 'password' || !validPin(pin)) return false;
    const record = await makePinRecord(this.personId, pin);
    write(PIN_KEY(this.personId), JSON.stringify(record));
    this.gate = 'open';
    this.active();
    return true;
  }

  lock(): void {
    if (!this.personId || !this.hasPin(this.personId)) return;
    this.gate = 'locked';
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // a reload opens locked too: the kept last use is cleared (the next use after unlocking writes it again)
    this.noted = 0;
    write(ACTIVE_KEY, '0');
  }

  /** Wrong PINs left before the password is asked for. */
  get triesLeft(): number {
    return Math.max(0, MAX_PIN_TRIES - this.failures);
  }

  async unlock(pin: string): Promise<boolean> {
    const personId = this.personId;
    if (!personId || this.gate === 'password') return false;
    const record = this.record(personId);
    if (!record || !(await checkPin(record, pin))) {
      this.failures = this.readTries(personId) + 1;
      write(TRIES_KEY(personId), String(this.failures));
      if (this.failures >= MAX_PIN_TRIES) {
        // LOCK-4: the PIN is forgotten; only the officer's password (checked online) opens the app now
        remove(PIN_KEY(personId));
        this.gate = 'password';
      }
      return false;
    }
    this.failures = 0;
    remove(TRIES_KEY(personId));
    this.gate = 'open';
    this.active();
    return true;
  }

  /** LOCK-4: the server accepted the locked officer's password: a new PIN is set next (the old one is gone). */
  afterPassword(): void {
    if (!this.personId || this.gate !== 'password') return;
    this.failures = 0;
    remove(TRIES_KEY(this.personId));
    this.gate = this.hasPin(this.personId) ? 'open' : 'set-pin';
    this.active();
  }

  private readTries(personId: string): number {
    const n = Number(read(TRIES_KEY(personId)) ?? 0);
    return Number.isInteger(n) && n > 0 ? n : 0;
  }

  private hasPin(personId: string): boolean {
    return this.record(personId) !== null;
  }

  private record(personId: string) {
    const raw = read(PIN_KEY(personId));
    if (!raw) return null;
    try {
      const r = parsePinRecord(JSON.parse(raw));
      return r && r.personId === personId ? r : null;
    } catch {
      return null;
    }
  }

  private listen(): void {
    if (this.listening || typeof window === 'undefined') return;
    this.listening = true;
    for (const type of ACTIVITY) window.addEventListener(type, () => this.active(), { passive: true, capture: true });
    // timers are held back in a hidden tab: check on return
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.check();
    });
  }

  private active(at = Date.now()): void {
    if (this.gate !== 'open' || !this.personId) return;
    this.lastActive = at;
    if (at - this.noted >= NOTE_EVERY_MS) {
      this.noted = at;
      write(ACTIVE_KEY, String(at));
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.gate !== 'open' || !this.personId) return;
    const due = this.lastActive + this.minutes * 60_000 - Date.now();
    this.timer = setTimeout(() => this.check(), Math.max(0, due));
  }

  private check(): void {
    if (this.gate !== 'open' || !this.personId) return;
    if (Date.now() - this.lastActive >= this.minutes * 60_000) this.lock();
    else this.schedule();
  }
}
