import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { inTransaction } from '../../../kernel/db/transaction.js';
import { HttpError } from '../../../kernel/http/errors.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { Category } from '../domain/categories.js';
import { createReport, DESCRIPTION_MAX, PHOTOS_MAX } from '../domain/create-report.js';
import { followReport, unfollowReport } from '../domain/follow.js';
import { findPublicReport, mapClusters, type PublicFilters, reportsInBox } from '../domain/public-queries.js';
import { answersIn, checkAnswers } from '../domain/questions.js';
import { categoriesOf } from '../domain/settings.js';
import { reportWorkflow } from '../workflow.js';

const tags = ['street-reports'];
const Localized = Type.Object({ fr: Type.String(), en: Type.String() });
const FileId = Type.String({ pattern: '^[0-9a-f]{28}$' });
const IdParams = Type.Object({ id: FileId });

interface CategoryNode {
  code: string;
  label: { fr: string; en: string };
  icon: string;
  anonymousAllowed?: boolean;
  notHandledHere?: { fr: string; en: string };
  questions?: unknown[];
  children: CategoryNode[];
}
const CategoryNode = Type.Recursive((This) =>
  Type.Object({
    code: Type.String(),
    label: Localized,
    icon: Type.String({
      description:
        'The icon of the top-level category: commerce, tree, vehicle, water, graffiti, furniture, bulky, cleanliness, road, lighting or other',
    }),
    anonymousAllowed: Type.Optional(Type.Boolean()),
    notHandledHere: Type.Optional(Localized),
    questions: Type.Optional(
      Type.Array(Type.Unknown(), {
        description: 'Extra questions (forms engine field definitions); answers go in `answers` under each question’s code',
      }),
    ),
    children: Type.Array(This),
  }),
);

const NewReportBody = Type.Object(
  {
    category: Type.String({ minLength: 1, maxLength: 200, description: 'A leaf of the category tree' }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    address: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.String({ maxLength: DESCRIPTION_MAX }),
    photos: Type.Optional(Type.Array(FileId, { maxItems: PHOTOS_MAX, uniqueItems: true, description: 'Ids from POST /api/v1/files' })),
    anonymous: Type.Optional(Type.Boolean({ description: 'File without the signed-in account, where the category allows it' })),
    answers: Type.Optional(
      Type.Record(
        Type.String({ maxLength: 100 }),
        Type.Union([Type.String({ maxLength: 5000 }), Type.Array(Type.String({ maxLength: 500 }))]),
        {
          description: 'Answers to the category’s questions, by code, as a form would post them (a yes/no as "yes" or "no")',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const State = Type.Object({ code: Type.String(), label: Localized });
const Summary = Type.Object({
  id: Type.String(),
  reference: Type.String(),
  category: Type.String(),
  district: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  lat: Type.Number(),
  lng: Type.Number(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  followers: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
});
const Detail = Type.Composite([
  Summary,
  Type.Object({
    description: Type.String(),
    state: State,
    photos: Type.Array(Type.Object({ url: Type.String(), thumbnailUrl: Type.String() })),
    history: Type.Array(
      Type.Object({
        state: State,
        at: Type.String(),
        comment: Type.Union([Type.String(), Type.Null()]),
        photoUrl: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  }),
]);
const MapQuery = Type.Object({
  bbox: Type.String({
    pattern: '^-?\\d+(\\.\\d+)?,-?\\d+(\\.\\d+)?,-?\\d+(\\.\\d+)?,-?\\d+(\\.\\d+)?$',
    description: 'minLng,minLat,maxLng,maxLat (WGS84)',
  }),
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
  category: Type.Optional(Type.String({ maxLength: 200 })),
  district: Type.Optional(Type.String({ maxLength: 20 })),
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
  limit: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 500,
    description: 'Beyond this many reports in the box, clusters are answered',
  }),
  grid: Type.Integer({
    minimum: 4,
    maximum: 100,
    default: 32,
    description:
      'Cells across the box when clustering, at most: the cells are those of the Web Mercator zoom level whose cells are the smallest at least box width ÷ grid wide, so they stay in place as the map pans',
  }),
});
const MapAnswer = Type.Object({
  total: Type.Integer(),
  reports: Type.Optional(Type.Array(Summary)),
  clusters: Type.Optional(
    Type.Array(
      Type.Object({ lat: Type.Number(), lng: Type.Number(), count: Type.Integer(), id: Type.Union([Type.String(), Type.Null()]) }),
    ),
  ),
});
const FollowAnswer = Type.Object({ following: Type.Boolean(), followers: Type.Integer() });

const state = (code: string) => ({ code, label: reportWorkflow.states[code]?.label ?? { fr: code, en: code } });

/** The residents' JSON API for mobile apps (in the OpenAPI document at /api/docs). */
export async function publicApiRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const tree = categoriesOf(kernel);
  const toNode = (c: Category, root: string): CategoryNode => ({
    code: c.code,
    label: c.label,
    icon: root,
    ...(c.children.length === 0 ? { anonymousAllowed: c.anonymousAllowed ?? false } : {}),
    ...(c.elsewhere ? { notHandledHere: c.elsewhere } : {}),
    ...(c.questions?.length ? { questions: c.questions } : {}),
    children: c.children.filter((k) => !k.agentOnly).map((k) => toNode(k, root)),
  });
  const categories = tree.roots.map((r) => toNode(r, r.icon ?? 'other'));

  app.get(
    '/api/v1/street-reports/categories',
    {
      config: { public: true },
      schema: { tags, summary: 'The category tree residents choose from', response: { 200: Type.Array(CategoryNode) } },
    },
    async () => categories,
  );

  app.post<{ Body: Static<typeof NewReportBody> }>(
    '/api/v1/street-reports',
    {
      config: { public: true, rateLimit: { max: 30, windowSeconds: 600 } },
      schema: {
        tags,
        summary: 'File a report (signed in, or anonymously where the category allows it)',
        description: 'Upload photos first with POST /api/v1/files and give their ids. Refusals are problem+json with the offending fields.',
        body: NewReportBody,
        response: { 201: Type.Object({ id: Type.String(), reference: Type.String(), url: Type.String() }) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const actor = request.actor;
      const accountId = actor.kind === 'citizen' && !body.anonymous ? actor.account.id : null;
      const category = tree.byCode.get(body.category);
      if (!accountId && category && category.children.length === 0 && !category.anonymousAllowed) {
        throw new HttpError(400, 'street-reports.invalid', 'This category cannot be reported anonymously: log in.', [
          { field: 'anonymous', message: 'street-reports.errors.anonymous-not-allowed' },
        ]);
      }
      const raw = category ? answersIn(category, body.answers ?? {}) : {};
      const checked = category ? checkAnswers(category, raw) : { answers: {}, errors: [] };
      const unknown = Object.keys(body.answers ?? {}).filter((name) => !(name in raw));
      if (checked.errors.length || unknown.length) {
        throw new HttpError(400, 'street-reports.invalid', 'Some answers to the category’s questions are missing or invalid.', [
          ...checked.errors.map((e) => ({ field: `answers.${e.field}`, message: `forms.error.${e.code}` })),
          ...unknown.map((name) => ({ field: `answers.${name}`, message: 'street-reports.errors.question-unknown' })),
        ]);
      }
      const filed = await inTransaction(kernel.db, (trx) =>
        createReport(trx, kernel, tree, {
          category: body.category,
          lat: body.lat,
          lng: body.lng,
          address: body.address ?? null,
          description: body.description,
          channel: 'app',
          accountId,
          photoIds: body.photos ?? [],
          answers: checked.answers,
        }),
      );
      const url = `/api/v1/street-reports/${filed.id}`;
      return reply.status(201).header('location', url).send({ id: filed.id, reference: filed.reference, url });
    },
  );

  app.get<{ Querystring: Static<typeof MapQuery> }>(
    '/api/v1/street-reports',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Reports in a box, for a map: each report, or clusters on a grid when there are more than `limit`',
        querystring: MapQuery,
        response: { 200: MapAnswer },
      },
    },
    async (request) => {
      const q = request.query;
      const [minLon, minLat, maxLon, maxLat] = q.bbox.split(',').map(Number) as [number, number, number, number];
      if (
        !(minLon < maxLon && minLat < maxLat) ||
        Math.abs(minLat) > 90 ||
        Math.abs(maxLat) > 90 ||
        Math.abs(minLon) > 180 ||
        Math.abs(maxLon) > 180
      ) {
        throw new HttpError(400, 'street-reports.bad-bbox', 'bbox must be minLng,minLat,maxLng,maxLat with min < max, in degrees.', [
          { field: 'bbox', message: 'street-reports.errors.bbox' },
        ]);
      }
      if (q.category && !tree.byCode.has(q.category)) {
        throw new HttpError(400, 'street-reports.invalid', 'Unknown category.', [
          { field: 'category', message: 'street-reports.errors.category-unknown' },
        ]);
      }
      const filters: PublicFilters & { bbox: NonNullable<PublicFilters['bbox']> } = {
        bbox: { minLon, minLat, maxLon, maxLat },
        status: q.status,
        category: q.category,
        district: q.district,
        from: q.from,
        to: q.to,
      };
      // Clusters first: beyond the limit (a map's usual box) they are the whole answer.
      const { clusters } = await mapClusters(kernel.db, tree, filters, (maxLon - minLon) / q.grid);
      const total = clusters.reduce((n, c) => n + c.count, 0);
      if (total > q.limit) return { total, clusters };
      const rows = await reportsInBox(kernel.db, tree, filters, q.limit);
      return {
        total: rows.length,
        reports: rows.map(({ state: _s, ...r }) => ({ ...r, status: r.status as 'open' | 'closed' })),
      };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/street-reports/:id',
    { config: { public: true }, schema: { tags, summary: 'A report as the public sees it', params: IdParams, response: { 200: Detail } } },
    async (request) => {
      const r = await findPublicReport(kernel.db, kernel, request.params.id);
      if (!r) throw new HttpError(404, 'street-reports.not-found', 'This report does not exist.');
      return {
        id: r.id,
        reference: r.reference,
        category: r.category,
        district: r.district,
        address: r.address,
        lat: r.lat,
        lng: r.lng,
        status: r.status as 'open' | 'closed',
        followers: r.followers,
        createdAt: r.createdAt,
        description: r.description,
        state: state(r.publicState),
        photos: r.photos.map((p) => ({ url: `/files/${p.fileId}`, thumbnailUrl: `/files/${p.fileId}/thumb` })),
        history: r.history.map((h) => ({
          state: state(h.state),
          at: h.at,
          comment: h.comment,
          photoUrl: h.photo ? `/files/${h.photo}` : null,
        })),
      };
    },
  );

  for (const [method, change, following] of [
    ['POST', followReport, true],
    ['DELETE', unfollowReport, false],
  ] as const) {
    app.route<{ Params: Static<typeof IdParams> }>({
      method,
      url: '/api/v1/street-reports/:id/follow',
      config: { auth: 'citizen' },
      schema: {
        tags,
        summary: following ? 'Follow a report: hear of each public change' : 'Stop following a report',
        params: IdParams,
        response: { 200: FollowAnswer },
      },
      handler: async (request) => {
        if (request.actor.kind !== 'citizen') throw new HttpError(403, 'forbidden', 'Log in as a resident.');
        return { following, followers: await change(kernel.db, request.params.id, request.actor.account.id) };
      },
    });
  }
}
