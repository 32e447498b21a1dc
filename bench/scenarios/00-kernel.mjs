// Kernel scenarios. A scenario file default-exports an array (or one object) of scenarios:
//   { name, path, method?, headers?, body?, target?, engines?, setup?(ctx) }
// See bench/README.md.
export default [
  // Liveness probe: no I/O, so this measures the cost of the kernel's hooks alone.
  { name: 'healthz', path: '/healthz', target: 0.9 },
  // Home page: hooks + view context (language, CSRF cookie) + Preact server rendering.
  { name: 'home', path: '/', target: 0.5 },
];
