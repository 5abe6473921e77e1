import { serverClock } from '../sync/serverClock.ts';

/** A ticking clock for countdowns: device time and the estimated server time, once a second. */
export class Clock {
  deviceNow = $state(Date.now());
  serverNow = $state(serverClock.now());
  private timer: ReturnType<typeof setInterval>;

  constructor(intervalMs = 1000) {
    this.timer = setInterval(() => this.tick(), intervalMs);
  }

  tick(): void {
    this.deviceNow = Date.now();
    this.serverNow = serverClock.now();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
