/**
 * Estimates server time on the device. The device clock is never trusted for verdicts; the offset only drives
 * countdowns on screen. Each server reply carrying its time updates the offset (the latest reply wins, as the
 * device clock may have been changed in between).
 */
export class ServerClock {
  offset = 0;
  known = false;

  constructor(private readonly deviceNow: () => number = Date.now) {}

  /** Records a server time seen in a reply received at device time `receivedAt` (default now). */
  observe(serverTime: number, receivedAt: number = this.deviceNow()): void {
    if (!Number.isFinite(serverTime) || serverTime <= 0) return;
    this.offset = serverTime - receivedAt;
    this.known = true;
  }

  restore(offset: number): void {
    if (!Number.isFinite(offset)) return;
    this.offset = offset;
    this.known = true;
  }

  /** Best estimate of the server's time now. */
  now(): number {
    return this.deviceNow() + this.offset;
  }
}

export const serverClock = new ServerClock();
