/*
 * NOTIF-3: imported by the generated service worker (workbox importScripts). A tap on a Muster notification focuses
 * an open window of the app and shows the group; with no window open it opens the group. Same origin only.
 */
/* eslint-env serviceworker */
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  let url;
  try {
    url = new URL(typeof data.url === 'string' ? data.url : '/', self.location.origin);
  } catch {
    url = new URL('/', self.location.origin);
  }
  if (url.origin !== self.location.origin) url = new URL('/', self.location.origin);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const client = windows.find((c) => new URL(c.url).origin === self.location.origin);
      if (client) {
        client.postMessage({ type: 'muster:open', hash: url.hash });
        if ('focus' in client) await client.focus();
        return;
      }
      await self.clients.openWindow(url.href);
    })(),
  );
});
