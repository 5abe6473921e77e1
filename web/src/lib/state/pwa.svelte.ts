import { registerSW } from 'virtual:pwa-register';
import type { Network } from '../sync/network.ts';

const UPDATE_CHECK_MS = 60 * 60 * 1000;

/**
 * Service worker registration in prompt mode: a new version waits until the officer accepts it (nothing reloads on
 * its own while a form may hold unsaved input).
 */
export class PwaUpdate {
  needRefresh = $state(false);

  constructor(private readonly network: Network) {}

  offlineReady = $state(false);
  private updateSW: ((reloadPage?: boolean) => Promise<void>) | null = null;

  register(): void {
    if (!('serviceWorker' in navigator)) return;
    this.updateSW = registerSW({
      immediate: true,
      onNeedRefresh: () => (this.needRefresh = true),
      onOfflineReady: () => (this.offlineReady = true),
      onRegisteredSW: (_url, registration) => {
        if (!registration) return;
        setInterval(() => {
          if (this.network.online) void registration.update().catch(() => {});
        }, UPDATE_CHECK_MS);
      },
      onRegisterError: (e: unknown) => console.warn('muster: service worker registration failed', e),
    });
  }

  async apply(): Promise<void> {
    this.needRefresh = false;
    await this.updateSW?.(true);
  }

  dismiss(): void {
    this.needRefresh = false;
    this.offlineReady = false;
  }
}
