import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { inTransaction } from '../../../kernel/db/transaction.js';
import { FileRejected } from '../../../kernel/files/errors.js';
import { errorText, type FormError } from '../../../kernel/forms/index.js';
import { type GeocodedAddress, GeocoderUnavailable, geocoderOf } from '../../../kernel/geo/geocoder.js';
import { cityView, projection, viewFrom, zoomIn, zoomOut } from '../../../kernel/geo/map.js';
import { CSRF_FIELD, verifyCsrf } from '../../../kernel/http/csrf.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { acceptMultipart, type PostedValues, readPostedForm } from '../../../kernel/http/multipart-form.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { FieldError } from '../../../kernel/ui/components.js';
import { searchCategories } from '../domain/categories.js';
import { createReport, DESCRIPTION_MAX, PHOTOS_MAX } from '../domain/create-report.js';
import { nearbyReports } from '../domain/nearby.js';
import { answersIn, checkAnswers, questionsForm } from '../domain/questions.js';
import { categoriesOf, settingsOf } from '../domain/settings.js';
import { CategoryStep, DetailsStep, NearbyStep, type PlaceChoice, PlaceStep, type Step } from '../views/public/report-form.js';
import { EMPTY_DRAFT, openDraft, type ReportDraft, sealDraft } from './public-draft.js';

/** Width of the place step's map, in CSS pixels: it fits a phone's screen, so it is never scaled and a click maps to one point. */
export const FORM_MAP_WIDTH = 340;

function one(values: PostedValues, name: string): string {
  const v = values[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

function all(values: PostedValues, name: string): string[] {
  const v = values[name];
  return v === undefined ? [] : [v].flat();
}

/**
 * The multi-step report form, working without JavaScript: every step posts to `/reports/new` with
 * the sealed draft and the step it comes from; the answer is the next step (or the same one with its
 * errors). Photos arrive at the last step as a multipart form and are stored (re-encoded, without
 * metadata) before the report is filed.
 */
export async function reportFormRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const tree = categoriesOf(kernel);
  const settings = settingsOf(kernel);
  const geocoder = geocoderOf(kernel.config);
  const t = (reply: FastifyReply) => reply.view().t;

  const place = (draft: ReportDraft): PlaceChoice => {
    if (draft.lat === undefined || draft.lng === undefined) return { point: null };
    const district = kernel.districts.locate([draft.lng, draft.lat]);
    return { point: { lat: draft.lat, lng: draft.lng }, address: draft.address, districtName: district?.name };
  };
  const viewOf = (draft: ReportDraft) => viewFrom(kernel.districts, { lat: draft.viewLat, lng: draft.viewLng, zoom: draft.zoom });

  interface Extras {
    errors?: FieldError[];
    status?: number;
    query?: string;
    elsewhere?: string;
    addressQuery?: string;
    addresses?: GeocodedAddress[] | null;
    geocoderDown?: boolean;
    coords?: { lat: string; lng: string };
    hadNearby?: boolean;
    answerErrors?: FormError[];
  }

  async function render(request: FastifyRequest, reply: FastifyReply, step: Step, draft: ReportDraft, extras: Extras = {}) {
    const ctx = reply.view();
    const errors = extras.errors ?? [];
    const common = { ctx, draft: sealDraft(kernel.secret, draft), errors };
    const signedIn = request.actor.kind === 'citizen';
    if (extras.status) reply.status(extras.status);
    const title = ctx.t(`street-reports.public.form.${step}.title`);
    if (step === 'category') {
      const query = extras.query ?? '';
      const results = query.trim() ? searchCategories(tree, query) : null;
      return reply.page(title, h(CategoryStep, { ...common, tree, query, results, chosen: draft.category, elsewhere: extras.elsewhere }));
    }
    if (step === 'place') {
      const view = viewOf(draft);
      return reply.page(
        title,
        h(PlaceStep, {
          ...common,
          tree,
          category: draft.category,
          place: place(draft),
          view,
          proj: projection(kernel.districts, view, FORM_MAP_WIDTH),
          addressQuery: extras.addressQuery ?? '',
          addresses: extras.addresses ?? null,
          geocoder: !geocoder ? 'off' : extras.geocoderDown ? 'down' : 'ready',
          lat: extras.coords?.lat ?? (draft.lat !== undefined ? String(draft.lat) : ''),
          lng: extras.coords?.lng ?? (draft.lng !== undefined ? String(draft.lng) : ''),
        }),
      );
    }
    if (step === 'nearby') {
      const nearby = await nearbyReports(
        kernel.db,
        { lat: draft.lat!, lng: draft.lng!, category: draft.category },
        settings.duplicateRadiusMeters,
      );
      // Nothing nearby: straight on to the details.
      if (!nearby.length) return render(request, reply, 'details', draft, { ...extras, hadNearby: false });
      return reply.page(title, h(NearbyStep, { ...common, tree, nearby, signedIn, radius: settings.duplicateRadiusMeters }));
    }
    const category = draft.category ? tree.byCode.get(draft.category) : undefined;
    const form = category ? questionsForm(category) : null;
    return reply.page(
      title,
      h(DetailsStep, {
        ...common,
        tree,
        category: draft.category,
        place: place(draft),
        photos: draft.photos,
        description: draft.description,
        signedIn,
        anonymous: draft.anonymous,
        anonymousAllowed: category?.anonymousAllowed ?? false,
        hadNearby: extras.hadNearby ?? true,
        questions: form ? { form, raw: draft.answers, errors: extras.answerErrors ?? [] } : null,
      }),
    );
  }

  /** The category step's choice, or the reason it cannot be filed here. */
  function checkCategory(reply: FastifyReply, code: string): { error?: string; elsewhere?: string } {
    const category = tree.byCode.get(code);
    if (!category || category.children.length > 0 || category.agentOnly)
      return { error: t(reply)('street-reports.errors.category-unknown') };
    if (category.elsewhere) {
      return { error: t(reply)('street-reports.errors.category-elsewhere'), elsewhere: category.elsewhere[reply.view().lang] };
    }
    return {};
  }

  /** The point, if it is one in the city; otherwise the error to show. */
  function checkPoint(reply: FastifyReply, lat: number, lng: number, field: string): FieldError | null {
    if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
      return { field, message: t(reply)('street-reports.errors.point-invalid') };
    }
    if (!kernel.districts.locate([lng, lat])) return { field, message: t(reply)('street-reports.errors.point-outside') };
    return null;
  }

  app.get<{ Querystring: { q?: string; category?: string } }>(
    '/reports/new',
    {
      config: { public: true },
      schema: {
        querystring: {
          type: 'object',
          properties: { q: { type: 'string', maxLength: 200 }, category: { type: 'string', maxLength: 200 }, lang: { type: 'string' } },
        },
      },
    },
    async (request, reply) => {
      const chosen = request.query.category && tree.byCode.has(request.query.category) ? request.query.category : undefined;
      return render(request, reply, 'category', { ...EMPTY_DRAFT, category: chosen }, { query: request.query.q });
    },
  );

  await app.register(async (scope) => {
    await acceptMultipart(scope, { fileBytes: kernel.config.limits.uploadBytes, files: PHOTOS_MAX + 3, fieldSize: 20_000 });
    scope.post(
      '/reports/new',
      { config: { public: true, csrf: false, rateLimit: { max: 120, windowSeconds: 600 } } },
      async (request, reply) => {
        const posted = await readPostedForm(request);
        verifyCsrf(kernel.secret, request, one(posted.values, CSRF_FIELD));
        const values = posted.values;
        const draft = openDraft(kernel.secret, one(values, 'draft'));
        const go = values['map.x'] !== undefined ? 'map' : values.pick !== undefined ? 'pick' : one(values, 'go');
        const step = one(values, 'step') as Step;

        if (step === 'category') {
          if (go === 'search') return render(request, reply, 'category', draft, { query: one(values, 'q') });
          const code = one(values, 'category');
          const problem = checkCategory(reply, code);
          if (problem.error) {
            return render(request, reply, 'category', draft, {
              status: 400,
              query: one(values, 'q'),
              elsewhere: problem.elsewhere,
              errors: [{ field: 'category', message: problem.error }],
            });
          }
          // Another category's questions are not this one's.
          return render(request, reply, 'place', { ...draft, category: code, answers: code === draft.category ? draft.answers : {} });
        }

        // Every later step needs a category chosen at the first one.
        if (!draft.category || checkCategory(reply, draft.category).error) {
          return render(request, reply, 'category', draft, {
            status: 400,
            errors: [{ field: 'category', message: t(reply)('street-reports.errors.category-unknown') }],
          });
        }

        if (step === 'place') return placeStep(request, reply, draft, values, go);

        if (draft.lat === undefined || draft.lng === undefined || checkPoint(reply, draft.lat, draft.lng, 'place')) {
          return render(request, reply, 'place', draft, {
            status: 400,
            errors: [{ field: 'place', message: t(reply)('street-reports.public.form.place.required') }],
          });
        }
        if (step === 'nearby') return render(request, reply, go === 'back' ? 'place' : 'details', draft);
        if (step === 'details') return detailsStep(request, reply, draft, values, posted.files, go);
        return render(request, reply, 'category', draft);
      },
    );
  });

  async function placeStep(request: FastifyRequest, reply: FastifyReply, draft: ReportDraft, values: PostedValues, go: string) {
    const view = viewOf(draft);
    if (go === 'back') return render(request, reply, 'category', draft);
    if (go === 'zoom-out') {
      const zoom = zoomOut(view.zoom);
      return render(request, reply, 'place', { ...draft, zoom, ...(zoom === 1 ? { viewLat: undefined, viewLng: undefined } : {}) });
    }
    const setPoint = (lat: number, lng: number, address: string | undefined, field: string, zoom = view.zoom) => {
      const error = checkPoint(reply, lat, lng, field);
      if (error) {
        return render(request, reply, 'place', draft, {
          status: 400,
          errors: [error],
          coords: field === 'lat' ? { lat: one(values, 'lat'), lng: one(values, 'lng') } : undefined,
        });
      }
      return render(request, reply, 'place', { ...draft, lat, lng, address, zoom, viewLat: lat, viewLng: lng });
    };
    if (go === 'map') {
      const proj = projection(kernel.districts, view, FORM_MAP_WIDTH);
      const point = proj.toPoint(Number(one(values, 'map.x')), Number(one(values, 'map.y')));
      return setPoint(point.lat, point.lng, undefined, 'map', zoomIn(view.zoom));
    }
    if (go === 'coords') {
      const parse = (s: string) => (s.trim() === '' ? Number.NaN : Number(s.trim().replace(',', '.')));
      return setPoint(parse(one(values, 'lat')), parse(one(values, 'lng')), undefined, 'lat', 16);
    }
    if (go === 'pick') {
      const [lat, lng, ...label] = one(values, 'pick').split(',');
      return setPoint(Number(lat), Number(lng), label.join(',').trim().slice(0, 200) || undefined, 'address', 16);
    }
    if (go === 'search') {
      const query = one(values, 'address').trim().slice(0, 200);
      if (!geocoder) return render(request, reply, 'place', draft, { addressQuery: query });
      try {
        const centre = cityView(kernel.districts);
        const found = await geocoder.search(query, { near: { lat: centre.lat, lng: centre.lng }, limit: 8 });
        // Only addresses in the city can be chosen.
        const inCity = found.filter((a) => kernel.districts.locate([a.lng, a.lat]));
        return render(request, reply, 'place', draft, { addressQuery: query, addresses: inCity });
      } catch (err) {
        if (!(err instanceof GeocoderUnavailable)) throw err;
        request.log.warn({ err }, 'address search unavailable');
        return render(request, reply, 'place', draft, { addressQuery: query, geocoderDown: true });
      }
    }
    // Continue: a point in the city is required.
    if (draft.lat === undefined || draft.lng === undefined) {
      return render(request, reply, 'place', draft, {
        status: 400,
        errors: [{ field: 'map', message: t(reply)('street-reports.public.form.place.required') }],
      });
    }
    return render(request, reply, 'nearby', draft);
  }

  async function detailsStep(
    request: FastifyRequest,
    reply: FastifyReply,
    draft: ReportDraft,
    values: PostedValues,
    files: Awaited<ReturnType<typeof readPostedForm>>['files'],
    go: string,
  ) {
    const tr = t(reply);
    const errors: FieldError[] = [];
    const removed = new Set(all(values, 'remove'));
    const photos = draft.photos.filter((id) => !removed.has(id));
    const chosen = files.filter((f) => f.name === 'photos');
    if (photos.length + chosen.length > PHOTOS_MAX) {
      errors.push({ field: 'photos', message: tr('street-reports.errors.too-many-photos') });
    } else {
      for (const file of chosen) {
        try {
          if (file.truncated) throw new FileRejected('file.too-large', 'too large', 413);
          const stored = await kernel.files.store({ data: file.data, filename: file.filename, declaredType: file.declaredType });
          if (!stored.mime.startsWith('image/')) {
            errors.push({ field: 'photos', message: tr('street-reports.public.form.details.notImage', { name: file.filename }) });
          } else photos.push(stored.id);
        } catch (err) {
          if (!(err instanceof FileRejected)) throw err;
          const key = err.code === 'file.too-large' ? 'tooLarge' : 'notImage';
          errors.push({ field: 'photos', message: tr(`street-reports.public.form.details.${key}`, { name: file.filename }) });
        }
      }
    }
    const description = one(values, 'description').replace(/\r\n/g, '\n');
    const category = tree.byCode.get(draft.category!)!;
    const answers = answersIn(category, values);
    const next: ReportDraft = {
      ...draft,
      answers,
      photos,
      description: description.slice(0, 10_000),
      anonymous: request.actor.kind !== 'citizen' || one(values, 'identity') === 'anonymous',
    };
    const hadNearby = one(values, 'had-nearby') !== '0';
    if (go === 'back') return render(request, reply, hadNearby ? 'nearby' : 'place', next);
    if (description.trim().length > DESCRIPTION_MAX) {
      errors.push({ field: 'description', message: tr('street-reports.errors.description-too-long') });
    }
    if (photos.length === 0 && !errors.some((e) => e.field === 'photos')) {
      errors.push({ field: 'photos', message: tr('street-reports.public.form.details.photoRequired') });
    }
    const checked = checkAnswers(category, answers);
    // The questions come first on the page: so do their problems in the summary.
    errors.unshift(...checked.errors.map((e) => ({ field: e.field, message: errorText(reply.view(), e) })));
    if (errors.length) {
      return render(request, reply, 'details', next, { status: 400, errors, hadNearby, answerErrors: checked.errors });
    }
    const accountId = request.actor.kind === 'citizen' && !next.anonymous ? request.actor.account.id : null;
    try {
      const filed = await inTransaction(kernel.db, (trx) =>
        createReport(trx, kernel, tree, {
          category: next.category!,
          lat: next.lat!,
          lng: next.lng!,
          address: next.address ?? null,
          description,
          channel: 'web',
          accountId,
          photoIds: photos,
          answers: checked.answers,
        }),
      );
      return reply.redirect(`/reports/${filed.id}?notice=sent`, 303);
    } catch (err) {
      if (!(err instanceof HttpError) || err.statusCode !== 400) throw err;
      const fieldErrors = err.fields.map((f) => ({
        field: f.field === 'lat' ? 'place' : f.field,
        message: tr(f.message),
      }));
      return render(request, reply, 'details', next, { status: 400, errors: fieldErrors, hadNearby });
    }
  }
}
