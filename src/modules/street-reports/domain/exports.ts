import { Readable } from 'node:stream';
import type { Executor } from '../../../kernel/db/transaction.js';
import type { Lang } from '../../../kernel/i18n/types.js';
import { csvCell } from '../../../kernel/identity/agents/audit-csv.js';
import type { Actor } from '../../../kernel/identity/authorization.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { CategoryTree } from './categories.js';
import { type Cell, xlsxStream } from './exports-xlsx.js';
import { eachReport, type QueueFilter, type QueueRow } from './queue.js';

export type ExportFormat = 'csv' | 'xlsx' | 'geojson';
export const EXPORT_BATCH = 1000;

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  geojson: 'application/geo+json; charset=utf-8',
};

const COLUMNS = [
  'reference',
  'created_at',
  'state',
  'status',
  'priority',
  'category',
  'category_label',
  'district',
  'address',
  'lat',
  'lng',
  'description',
  'closed_at',
  'url',
] as const;

interface Labeller {
  category(code: string): string;
  state(code: string): string;
  url(id: string): string;
}

function labeller(kernel: Kernel, categories: CategoryTree, lang: Lang): Labeller {
  const wf = kernel.workflows.latest('street-reports:report');
  const base = kernel.config.publicUrl ?? '';
  return {
    category: (code) => categories.byCode.get(code)?.label[lang] ?? code,
    state: (code) => wf.states[code]?.label[lang] ?? code,
    url: (id) => `${base}/admin/reports/${id}`,
  };
}

function cells(r: QueueRow, l: Labeller): Cell[] {
  return [
    r.reference,
    r.created_at,
    l.state(r.state),
    r.status,
    r.priority,
    r.category,
    l.category(r.category),
    r.district,
    r.address,
    r.lat,
    r.lng,
    r.description,
    r.closed_at,
    l.url(r.id),
  ];
}

/**
 * The queue's reports (same scope and filters) in a file, read in key-ordered batches and written
 * while it is sent: whatever the number of rows, memory holds one batch.
 */
export function exportReports(
  kernel: Kernel,
  db: Executor,
  actor: Actor,
  categories: CategoryTree,
  filter: QueueFilter,
  format: ExportFormat,
  lang: Lang,
  batch = EXPORT_BATCH,
): Readable {
  const l = labeller(kernel, categories, lang);
  // Newest first, like the queue; sorting by priority is for reading, not for files.
  const batches = () => eachReport(db, actor, categories, { ...filter, sort: 'date' }, batch);
  if (format === 'xlsx') {
    async function* rows() {
      for await (const page of batches()) yield page.map((r) => cells(r, l));
    }
    return Readable.from(xlsxStream('reports', COLUMNS, rows()));
  }
  if (format === 'geojson') {
    async function* geojson() {
      yield '{"type":"FeatureCollection","features":[';
      let first = true;
      for await (const page of batches()) {
        const features = page.map((r) => {
          const [
            reference,
            createdAt,
            state,
            status,
            priority,
            category,
            categoryLabel,
            district,
            address,
            ,
            ,
            description,
            closedAt,
            url,
          ] = cells(r, l);
          return JSON.stringify({
            type: 'Feature',
            id: r.id,
            geometry: { type: 'Point', coordinates: [r.lng, r.lat] },
            properties: {
              reference,
              createdAt,
              state: r.state,
              stateLabel: state,
              status,
              priority,
              category,
              categoryLabel,
              district,
              address,
              description,
              closedAt,
              url,
            },
          });
        });
        yield (first ? '' : ',') + features.join(',');
        first = false;
      }
      yield ']}\n';
    }
    return Readable.from(geojson());
  }
  async function* csv() {
    // A byte-order mark lets spreadsheets read the file as UTF-8.
    yield `\ufeff${COLUMNS.join(',')}\r\n`;
    for await (const page of batches()) {
      yield page
        .map(
          (r) =>
            `${cells(r, l)
              .map((c) => csvCell(c === null ? null : String(c)))
              .join(',')}\r\n`,
        )
        .join('');
    }
  }
  return Readable.from(csv());
}
