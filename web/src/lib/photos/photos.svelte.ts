/** The app's photo outbox and cache (one per page), wired to the session without touching the app's wiring. */
import { app } from '../state/app.svelte.ts';
import { PhotoUploads } from './uploads.svelte.ts';

export const photos = new PhotoUploads({
  token: () => (app.session.expired ? null : app.session.token),
  renew: () => app.renewToken(),
  network: app.network,
});

// The outbox also runs on `online` (PhotoUploads) and after each new photo; this picks up anything left over.
if (typeof window !== 'undefined') setInterval(() => photos.kick(), 15_000);
