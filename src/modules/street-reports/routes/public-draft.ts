import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RawValues } from '../../../kernel/forms/index.js';
import { asZoom, type Zoom } from '../../../kernel/geo/map.js';

/**
 * The answers of a report being written, carried from step to step in one signed hidden field.
 * Why not server-side drafts: the form must work for anonymous residents too (the forms engine's
 * drafts belong to an account), with no table to clean up, in any process, and with the browser's
 * back button. Photos are uploaded at their step and kept pending by the files service (deleted
 * after a day if never filed), so only their ids travel. The signature stops a crafted field from
 * slipping in values no step checked; `createReport` checks everything again anyway.
 */
export interface ReportDraft {
  category?: string;
  lat?: number;
  lng?: number;
  address?: string;
  /** The place step's map: its zoom and centre. */
  zoom: Zoom;
  viewLat?: number;
  viewLng?: number;
  photos: string[];
  description: string;
  anonymous: boolean;
  /** The category's extra questions, as posted (checked when the report is sent). */
  answers: RawValues;
}

export const EMPTY_DRAFT: ReportDraft = { zoom: 1, photos: [], description: '', anonymous: false, answers: {} };

/** Posted answers kept in a draft: strings (or lists of them) under short names, bounded. */
export function rawAnswers(input: unknown): RawValues {
  const out: RawValues = {};
  if (!input || typeof input !== 'object') return out;
  for (const [name, value] of Object.entries(input).slice(0, 50)) {
    if (!/^[A-Za-z0-9_.-]{1,100}$/.test(name)) continue;
    if (typeof value === 'string') out[name] = value.slice(0, 5000);
    else if (Array.isArray(value))
      out[name] = value
        .filter((v): v is string => typeof v === 'string')
        .slice(0, 50)
        .map((v) => v.slice(0, 500));
  }
  return out;
}

const sign = (secret: Buffer, body: string) => createHmac('sha256', secret).update(`street-reports:draft:${body}`).digest('base64url');

export function sealDraft(secret: Buffer, draft: ReportDraft): string {
  const body = Buffer.from(JSON.stringify(draft)).toString('base64url');
  return `${body}.${sign(secret, body)}`;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : undefined);

/** The draft of a posted form; a missing or tampered field starts afresh. */
export function openDraft(secret: Buffer, sealed: string | undefined): ReportDraft {
  const [body, mac] = (sealed ?? '').split('.');
  if (!body || !mac) return { ...EMPTY_DRAFT };
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ...EMPTY_DRAFT };
  try {
    const raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    return {
      category: str(raw.category, 200),
      lat: num(raw.lat),
      lng: num(raw.lng),
      address: str(raw.address, 200),
      zoom: asZoom(raw.zoom),
      viewLat: num(raw.viewLat),
      viewLng: num(raw.viewLng),
      photos: Array.isArray(raw.photos)
        ? raw.photos.filter((p): p is string => typeof p === 'string' && /^[0-9a-f]{28}$/.test(p)).slice(0, 3)
        : [],
      description: str(raw.description, 10_000) ?? '',
      anonymous: raw.anonymous === true,
      answers: rawAnswers(raw.answers),
    };
  } catch {
    return { ...EMPTY_DRAFT };
  }
}
