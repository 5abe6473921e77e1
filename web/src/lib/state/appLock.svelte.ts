/**
 * LOCK-1..3: the app lock. Lock, don't log out: an officer who steps away keeps the session (and everything unsent,
 * which goes on syncing behind the lock); the app locks after minutes of inactivity (LOCK-2) or on request, and opens
 * again with the officer's PIN, checked on the device, offline too. The PIN is set after the first online login on
 * a device; only its salted hash is kept (`pin.ts`).
 */
import { checkPin, lockMinutes, makePinRecord, parsePinRecord, validPin } from '../device/pin.ts';

const PIN_KEY = (personId: string) => `muster.pin.${personId}`;
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

export type LockGate = 'open' | 'set-pin' | 'locked';

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
    const last = Number(read(ACTIVE_KEY) ?? 0);
    if (!this.hasPin(personId)) this.gate = 'set-pin';
    else if (!Number.isFinite(last) || Date.now() - last >= this.minutes * 60_000) this.gate = 'locked';
    else this.gate = 'open';
    if (this.gate === 'open') this.active(last);
    this.listen();
  }

  /** A login on this device (online): the officer sets a PIN unless one is kept for them. */
  afterLogin(personId: string): void {
    this.personId = personId;
    this.failures = 0;
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
    if (!this.personId || !validPin(pin)) return false;
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
  }

  async unlock(pin: string): Promise<boolean> {
    const record = this.personId ? this.record(this.personId) : null;
    if (!record || !(await checkPin(record, pin))) {
      this.failures++;
      return false;
    }
    this.failures = 0;
    this.gate = 'open';
    this.active();
    return true;
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
