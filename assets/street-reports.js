// Progressive enhancement of the street-report pages (src/modules/street-reports): every step works
// without this file. It adds the device's location, exact map clicks on a scaled map, a live
// category filter, and a draft kept on the device when offline, sent when the network is back.
(() => {
  // The layout has no slot in <head>: the pages carry the manifest link in their body and it is
  // moved where browsers look for it.
  const manifest = document.querySelector('body link[rel="manifest"]');
  if (manifest) document.head.appendChild(manifest);
  // The form and its assets then open without a network (the installed app starts offline).
  if (manifest && 'serviceWorker' in navigator) {
    navigator.serviceWorker.register('/reports/service-worker.js', { scope: '/reports/' }).catch(() => undefined);
  }

  const normalise = (s) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();

  // Category filter: the tree narrows as the resident types.
  const search = document.querySelector('.report-flow[data-step="category"] input[name="q"]');
  const tree = document.querySelector('.category-tree');
  if (search && tree) {
    search.addEventListener('input', () => {
      const words = normalise(search.value).split(/\s+/).filter(Boolean);
      for (const leaf of tree.querySelectorAll('.category-leaf')) {
        const text = normalise(leaf.dataset.search ?? leaf.textContent);
        leaf.hidden = !words.every((w) => text.includes(w));
      }
      for (const group of tree.querySelectorAll('.category-family, .category-root')) {
        const visible = group.querySelector('.category-leaf:not([hidden])') !== null;
        group.hidden = !visible;
        if (group.tagName === 'DETAILS') group.open = words.length > 0 && visible;
      }
    });
  }

  // A click on a map shown smaller than its image (narrow screens, zoom) is sent in the image's pixels.
  const map = document.querySelector('input.map-input');
  if (map) {
    map.addEventListener('click', (event) => {
      const box = map.getBoundingClientRect();
      const width = Number(map.getAttribute('width'));
      if (!width || Math.abs(box.width - width) < 1) return;
      event.preventDefault();
      const scale = width / box.width;
      const form = map.form;
      for (const [name, value] of [
        ['map.x', Math.round((event.clientX - box.left) * scale)],
        ['map.y', Math.round((event.clientY - box.top) * scale)],
      ]) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = String(value);
        form.appendChild(input);
      }
      form.submit();
    });
  }

  // The device's location fills the coordinates and uses them.
  const locate = document.querySelector('.locate-me');
  const coords = document.querySelector('.coords-form');
  if (locate && coords && 'geolocation' in navigator) {
    locate.hidden = false;
    locate.addEventListener('click', () => {
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(
        (position) => {
          coords.querySelector('[name="lat"]').value = position.coords.latitude.toFixed(6);
          coords.querySelector('[name="lng"]').value = position.coords.longitude.toFixed(6);
          coords.requestSubmit(coords.querySelector('button[value="coords"]'));
        },
        () => {
          locate.disabled = false;
          coords.querySelector('[name="lat"]').focus();
        },
        { enableHighAccuracy: true, timeout: 15000 },
      );
    });
  }

  // Offline: the last step is kept on the device (photos included when they fit) and sent when back online.
  const KEY = 'civitas.street-report.pending';
  const status = document.querySelector('.offline-status');
  const say = (which) => {
    if (!status) return;
    status.textContent = status.dataset[which] ?? '';
    status.hidden = false;
  };
  const details = document.querySelector('form.details-form');
  const readAsDataUrl = (file) =>
    new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  if (details) {
    details.addEventListener('submit', async (event) => {
      if (navigator.onLine) return;
      event.preventDefault();
      const fields = [];
      const photos = [];
      for (const [name, value] of new FormData(details, event.submitter)) {
        if (typeof value === 'string') fields.push([name, value]);
        else if (value.size > 0) photos.push({ name: value.name, type: value.type, data: await readAsDataUrl(value) });
      }
      try {
        localStorage.setItem(KEY, JSON.stringify({ fields, photos }));
      } catch {
        // Photos too large for the device's storage: keep the text; the photos are asked again.
        localStorage.setItem(KEY, JSON.stringify({ fields, photos: [] }));
      }
      say('saved');
    });
  }

  const sendPending = async () => {
    const saved = localStorage.getItem(KEY);
    if (!saved || !navigator.onLine) return;
    say('sending');
    try {
      const { fields, photos } = JSON.parse(saved);
      const body = new FormData();
      for (const [name, value] of fields) body.append(name, value);
      for (const photo of photos) body.append('photos', await (await fetch(photo.data)).blob(), photo.name);
      const response = await fetch('/reports/new', { method: 'POST', body, credentials: 'same-origin' });
      localStorage.removeItem(KEY);
      // Filed: its page; refused: the step with its errors, to correct and send.
      if (response.redirected) window.location.assign(response.url);
      else {
        document.open();
        document.write(await response.text());
        document.close();
      }
    } catch {
      say('failed');
    }
  };
  window.addEventListener('online', sendPending);
  if (document.querySelector('.report-flow')) sendPending();
})();
