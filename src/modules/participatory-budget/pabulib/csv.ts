import { PabulibParseError } from './errors.js';

/** One row of the file: its fields and the line it starts on (a quoted field may span lines). */
export interface Row {
  fields: string[];
  line: number;
}

/**
 * Splits `;`-separated text into rows. A field may be quoted with `"` (inner quotes doubled), which
 * lets it hold `;`, quotes and line breaks. Line breaks are CRLF, LF or a lone CR. Blank lines are
 * skipped (trailing ones are common). A `"` inside an unquoted field is kept as is, as Python's csv
 * module (which writes pabulib.org's files) reads it.
 */
export function readRows(text: string): Row[] {
  const rows: Row[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    // A line with nothing on it is not a row with one empty field.
    if (text[i] === '\n' || text[i] === '\r') {
      i = skipLineBreak(text, i);
      line++;
      continue;
    }
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        const opened = line;
        i++;
        for (;;) {
          if (i >= n) throw new PabulibParseError(opened, 'a quoted field is never closed (missing ")');
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
          value += ch;
          i++;
        }
        if (i < n && text[i] !== ';' && text[i] !== '\n' && text[i] !== '\r') {
          throw new PabulibParseError(line, `unexpected text after a closing quote: ${JSON.stringify(text.slice(i, i + 10))}`);
        }
      } else {
        const end = nextDelimiter(text, i);
        value = text.slice(i, end);
        i = end;
      }
      fields.push(value);
      if (i < n && text[i] === ';') {
        i++;
        continue;
      }
      break;
    }
    rows.push({ fields, line: start });
    if (i < n) {
      i = skipLineBreak(text, i);
      line++;
    }
  }
  return rows;
}

function nextDelimiter(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 59 /* ; */ || c === 10 /* \n */ || c === 13 /* \r */) return j;
  }
  return text.length;
}

function skipLineBreak(text: string, i: number): number {
  if (text[i] === '\r' && text[i + 1] === '\n') return i + 2;
  return i + 1;
}

/** A field as written: quoted only when it must be (as Python's csv module does by default). */
export function writeField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
