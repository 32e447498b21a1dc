import { once } from 'node:events';
import { crc32, createDeflateRaw } from 'node:zlib';

/**
 * A zip archive written as it goes (no package of the build writes one): each entry is deflated
 * as its chunks arrive, its CRC and sizes follow in a data descriptor, and the central directory
 * closes the archive. Enough for an XLSX workbook of any length under 4 GiB.
 */
interface Entry {
  name: Buffer;
  offset: number;
  crc: number;
  compressed: number;
  size: number;
}

function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

// Bit 3: sizes and CRC come after the data; bit 11: names are UTF-8.
const FLAGS = 0x0808;
const DEFLATE = 8;

export async function* zipStream(files: AsyncIterable<{ name: string; chunks: AsyncIterable<string | Buffer> }>): AsyncGenerator<Buffer> {
  const { time, date } = dosTime(new Date());
  const entries: Entry[] = [];
  let offset = 0;
  for await (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(FLAGS, 6);
    local.writeUInt16LE(DEFLATE, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt16LE(name.length, 26);
    const entry: Entry = { name, offset, crc: 0, compressed: 0, size: 0 };
    yield Buffer.concat([local, name]);
    offset += 30 + name.length;

    const deflate = createDeflateRaw();
    const out: Buffer[] = [];
    deflate.on('data', (b: Buffer) => out.push(b));
    const drain = function* () {
      for (const b of out.splice(0)) {
        entry.compressed += b.length;
        yield b;
      }
    };
    for await (const chunk of file.chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      entry.crc = crc32(bytes, entry.crc);
      entry.size += bytes.length;
      await new Promise<void>((resolve, reject) => deflate.write(bytes, (err) => (err ? reject(err) : resolve())));
      yield* drain();
    }
    const ended = once(deflate, 'end');
    deflate.end();
    await ended;
    yield* drain();
    offset += entry.compressed;

    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(entry.crc >>> 0, 4);
    descriptor.writeUInt32LE(entry.compressed, 8);
    descriptor.writeUInt32LE(entry.size, 12);
    yield descriptor;
    offset += 16;
    entries.push(entry);
  }
  const central: Buffer[] = [];
  for (const e of entries) {
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(FLAGS, 8);
    header.writeUInt16LE(DEFLATE, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(date, 14);
    header.writeUInt32LE(e.crc >>> 0, 16);
    header.writeUInt32LE(e.compressed, 20);
    header.writeUInt32LE(e.size, 24);
    header.writeUInt16LE(e.name.length, 28);
    header.writeUInt32LE(e.offset, 42);
    central.push(header, e.name);
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  yield Buffer.concat([directory, end]);
}

export type Cell = string | number | null;

/** Text safe in XML: escaped, without the control characters XML 1.0 forbids. */
function xmlText(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function row(cells: readonly Cell[]): string {
  const xml = cells.map((c) => {
    if (c === null || c === '') return '<c/>';
    if (typeof c === 'number') return `<c><v>${c}</v></c>`;
    return `<c t="inlineStr"><is><t xml:space="preserve">${xmlText(c)}</t></is></c>`;
  });
  return `<row>${xml.join('')}</row>`;
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;

function workbook(sheetName: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${xmlText(sheetName.slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
}

async function* once1(text: string): AsyncGenerator<string> {
  yield text;
}

/**
 * An XLSX workbook of one sheet (inline strings: no shared-string table to hold in memory),
 * its rows written as the batches arrive.
 */
export function xlsxStream(sheetName: string, header: readonly string[], batches: AsyncIterable<Cell[][]>): AsyncGenerator<Buffer> {
  async function* sheet(): AsyncGenerator<string> {
    yield `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${row(header)}`;
    for await (const rows of batches) yield rows.map(row).join('');
    yield '</sheetData></worksheet>';
  }
  async function* files() {
    yield { name: '[Content_Types].xml', chunks: once1(CONTENT_TYPES) };
    yield { name: '_rels/.rels', chunks: once1(ROOT_RELS) };
    yield { name: 'xl/workbook.xml', chunks: once1(workbook(sheetName)) };
    yield { name: 'xl/_rels/workbook.xml.rels', chunks: once1(WORKBOOK_RELS) };
    yield { name: 'xl/worksheets/sheet1.xml', chunks: sheet() };
  }
  return zipStream(files());
}
