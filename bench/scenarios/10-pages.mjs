// Scenarios of the "pages" module (content pages and their JSON API).
export default [
  { name: 'content page', path: '/pages/accessibilite' },
  { name: 'api pages', path: '/api/v1/pages' },
];
