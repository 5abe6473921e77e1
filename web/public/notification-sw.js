/*
 * NOTIF-3: imported by the generated service worker (workbox importScripts). A tap on a Muster notification closes
 * it and shows its group: an open window of the app is told to show the group (`muster:open`, a hash route, no
 * reload) and is focused; with no window open, a window opens at the group. Same origin only.
 *
 * Focusing and opening windows need the tap's user activation: a real tap grants it to this event, and the browser
 * refuses both (InvalidAccessError) for a script-constructed event, which also cannot `waitUntil`. The open window
 * is still told to show the group then; nothing here throws.
 */
/* eslint-env serviceworker */

/** The group's same-origin URL from the notification's data; the app's root for anything else. */
function musterTapUrl(data) {
  let url;
  try {
    url = new URL(data && typeof data.url === 'string' ? data.url : '/', self.location.origin);
  } catch {
    url = new URL('/', self.location.origin);
  }
  return url.origin === self.location.origin ? url : new URL('/', self.location.origin);
}

async function musterOpen(url) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const ours = windows.filter((c) => new URL(c.url).origin === self.location.origin);
  const client = ours.find((c) => c.focused) || ours.find((c) => c.visibilityState === 'visible') || ours[0];
  if (client) {
    // Focus first, while the tap's activation is live; showing the group needs none.
    if ('focus' in client) {
      try {
        await client.focus();
      } catch (e) {
        console.warn('muster: the window was not focused', e);
      }
    }
    client.postMessage({ type: 'muster:open', hash: url.hash || '#/groups' });
    return;
  }
  try {
    await self.clients.openWindow(url.href);
  } catch (e) {
    console.warn('muster: no window was opened', e);
  }
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const done = musterOpen(musterTapUrl(event.notification.data)).catch((e) => console.warn('muster: tap', e));
  try {
    event.waitUntil(done);
  } catch {
    // a script-constructed event cannot be extended; `done` runs on regardless
  }
});
