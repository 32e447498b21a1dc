/**
 * The back office's own styles (maps, charts, route sheet print): served as a file, since the
 * content security policy allows no inline style.
 */
export const BACK_OFFICE_CSS = `
.table-scroll, .map-frame { overflow-x: auto; max-width: 100%; }
.report-map, .chart svg { max-width: 100%; height: auto; display: block; }
.report-map .map-districts path { fill: var(--surface, #f2f2f2); stroke: #666; }
.report-map .map-districts path.map-highlight { fill: #dde3f5; stroke: #000091; stroke-width: 2; }
.report-map .map-point.priority-2 circle, .report-map .map-point.priority-3 circle { fill: #8a1111; }
.map-frame.small { max-width: 20rem; }
.report-summary { display: grid; gap: 1rem; }
@media (min-width: 48rem) { .report-summary { grid-template-columns: 1fr 20rem; } }
.report-filters .field { margin-bottom: 0.5rem; }
.view-switch ul, .report-tools, .pagination ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
.view-switch a[aria-current] { font-weight: bold; }
.report-photos { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
.report-photos figure { margin: 0; }
.photo-redacted img { opacity: 0.45; }
.report-description, .template-body { white-space: pre-wrap; }
.response-template textarea { width: 100%; max-width: 40rem; }
.mass-actions { margin-top: 1rem; }
.tick-box { display: inline-block; width: 1.1rem; height: 1.1rem; border: 2px solid currentColor; }
.map-legend { columns: 16rem; }
@media print {
  .admin-nav, .site-header, .site-footer, .skip-link, .no-print, .report-filters { display: none !important; }
  .admin { display: block; }
  .route-sheet .report-map { width: 100%; max-height: 60vh; }
  .route-table { page-break-before: auto; font-size: 10pt; }
  .route-table tr { page-break-inside: avoid; }
  .route-sheet a { color: inherit; text-decoration: none; }
}
`;
