// The reporting app's service worker (scope /reports/): the form and its assets open without a
// network, so the installed app starts offline; the details step then keeps the report on the
// device (assets/street-reports.js) and sends it when the network is back. Pages are always asked of
// the network first: a cached page is only shown when there is no network at all.
const CACHE = 'civitas-reports-v1';
const SHELL = ['/reports/new', '/assets/civitas.css', '/assets/theme.css', '/assets/civitas.js', '/assets/street-reports.js'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => Promise.all(SHELL.map((url) => cache.add(url).catch(() => undefined))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  const shell = SHELL.includes(url.pathname);
  if (request.mode !== 'navigate' && !shell) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (shell && response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
        }
        return response;
      })
      .catch(async () => {
        const cached = (await caches.match(url.pathname)) ?? (request.mode === 'navigate' ? await caches.match('/reports/new') : undefined);
        return cached ?? Response.error();
      }),
  );
});
