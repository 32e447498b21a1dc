import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { inTransaction, type Trx } from '../db/transaction.js';
import { verifyCsrf } from '../http/csrf.js';
import { HttpError } from '../http/errors.js';
import { acceptMultipart } from '../http/multipart-form.js';
import { cityToday, formatDate } from '../i18n/format.js';
import type { Actor } from '../identity/authorization.js';
import type { Kernel } from '../kernel.js';
import type { FileAnswer, FormData, FormError, RawValues } from './answers.js';
import type { FormDefinition, StepDef } from './definition.js';
import { type Draft, type DraftKey, discardDraft, draftFileOwner, loadDraft, releaseDraftFile, saveDraft } from './drafts.js';
import { rowCount } from './names.js';
import { addRow, fileNames, mergeStep, readStepPost, removeFile, removeRow, type StepAction } from './parse-post.js';
import { storeUploads } from './uploads.js';
import { validateForm } from './validate.js';
import { inputLabel } from './views/labels.js';
import { StepPage } from './views/step-page.js';
import { SummaryPage } from './views/summary-page.js';
import { stepOfField, valueFields } from './walk.js';

/** What a module receives when a person sends a form: valid, typed answers. */
export interface FormSubmission {
  data: FormData;
  /** Every file in the answers: pending again, for `kernel.files.attach(trx, ids, owner)` in the same transaction. */
  fileIds: string[];
  actor: Extract<Actor, { kind: 'citizen' | 'agent' }>;
  subject: string | null;
  formVersion: number;
}

export interface FormFlowOptions {
  form: FormDefinition;
  /** Where the flow lives ("/transport/apply"); may hold route parameters ("/procedures/:id/apply"). */
  basePath: string;
  /** Who may fill the form: drafts belong to an account, so a person must be signed in. */
  access: { auth: 'citizen' | 'agent' } | { permission: string };
  /** What the answers are for (one draft per person, form and subject); null by default. */
  subject?: (request: FastifyRequest) => string | null;
  /**
   * The module's domain write, in the transaction that also deletes the draft; returns where to
   * send the person (a confirmation page). Throwing keeps the draft as it was.
   */
  onSubmit(trx: Trx, submission: FormSubmission, request: FastifyRequest): Promise<{ redirect: string }>;
}

const STEP_CODE = /^[a-z][a-z0-9_]*$/;

function query(request: FastifyRequest, name: string): string {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** The files a draft holds (owned by it in the files service), as answers. */
async function draftFiles(kernel: Kernel, draft: Draft | null): Promise<Map<string, FileAnswer>> {
  if (!draft) return new Map();
  const rows = await kernel.db
    .selectFrom('files')
    .select(['id', 'original_name', 'mime', 'size'])
    .where('owner', '=', draftFileOwner(draft.id))
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.original_name, mime: r.mime, size: r.size }]));
}

/**
 * Mounts a multi-step form: `GET base` (resumes the draft), `GET|POST base/steps/:step`,
 * `GET base/summary`, `POST base/submit` and `POST base/discard`. Each step posted is saved in the
 * person's draft even when it has errors (uploads included), then checked: errors show the step
 * again with its error summary; otherwise post/redirect/get leads to the next step or the summary.
 * Step posts accept multipart (file fields), so they check the CSRF token themselves.
 */
export async function mountFormFlow(app: FastifyInstance, kernel: Kernel, options: FormFlowOptions): Promise<void> {
  const { form } = options;
  const config: FastifyContextConfig =
    'permission' in options.access ? { permission: options.access.permission } : { auth: options.access.auth };
  const uploadLimit = kernel.config.limits.uploadBytes;
  const maxFiles = form.steps.reduce((n, step) => n + fileNames(step, {}).length * 20, 1);

  const base = (request: FastifyRequest) => {
    const params = (request.params ?? {}) as Record<string, string>;
    return options.basePath.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  };
  const stepHref = (request: FastifyRequest, code: string, returnToSummary = false) =>
    `${base(request)}/steps/${code}${returnToSummary ? '?return=summary' : ''}`;
  const keyOf = (request: FastifyRequest): DraftKey => {
    const actor = request.actor;
    if (actor.kind === 'anonymous') throw new HttpError(401, 'auth.required', 'You must be signed in.');
    return { accountId: actor.account.id, formCode: form.code, subject: options.subject?.(request) ?? null };
  };
  const findStep = (code: string): StepDef => {
    const step = STEP_CODE.test(code) ? form.steps.find((s) => s.code === code) : undefined;
    if (!step) throw new HttpError(404, 'not-found', `This form has no step "${code}".`);
    return step;
  };
  const validate = (raw: RawValues, files: ReadonlyMap<string, FileAnswer>, step?: string) =>
    validateForm(form, raw, { files, today: cityToday(kernel.config.city.timezone), ...(step ? { step } : {}) });

  const showStep = (
    request: FastifyRequest,
    reply: FastifyReply,
    page: {
      step: StepDef;
      raw: RawValues;
      files: ReadonlyMap<string, FileAnswer>;
      errors: FormError[];
      returnToSummary: boolean;
      notice?: string;
    },
    status = 200,
  ) => {
    const ctx = reply.view();
    const whole = validate(page.raw, page.files);
    const visible = whole.steps;
    const index = visible.indexOf(page.step.code);
    if (index < 0) return reply.redirect(base(request), 303);
    const previous = visible[index - 1];
    const labels = new Map(page.errors.map((e) => [e.field, inputLabel(form, ctx.lang, e.field) ?? '']));
    const body = h(StepPage, {
      ctx,
      definition: form,
      step: page.step,
      view: { ctx, raw: page.raw, errors: page.errors, files: page.files },
      data: whole.data,
      action: stepHref(request, page.step.code),
      position: { number: index + 1, total: visible.length },
      back: previous ? stepHref(request, previous) : undefined,
      returnToSummary: page.returnToSummary,
      notice: page.notice,
      discardAction: `${base(request)}/discard`,
      multipart: fileNames(page.step, page.raw).length > 0,
      labels,
    });
    const title = `${page.errors.length ? `${ctx.t('forms.errorTitle')} ` : ''}${page.step.title[ctx.lang]} – ${form.title[ctx.lang]}`;
    return reply.page(title, body, { status });
  };

  /** The step of the first problem, to send the person back there. */
  const stepOfError = (errors: FormError[]): string | undefined => {
    const code = errors[0]?.field.split('.')[0];
    return code ? stepOfField(form, code)?.code : undefined;
  };

  await app.register(async (scope) => {
    await acceptMultipart(scope, { fileBytes: uploadLimit, files: maxFiles, fields: 2000, fieldSize: 200_000 });

    scope.get(options.basePath, { config }, async (request, reply) => {
      const draft = await loadDraft(kernel.db, keyOf(request));
      const visible = validate(draft?.data ?? {}, await draftFiles(kernel, draft)).steps;
      if (draft?.step === 'summary') return reply.redirect(`${base(request)}/summary`, 303);
      const step = draft?.step && visible.includes(draft.step) ? draft.step : visible[0];
      return reply.redirect(stepHref(request, step ?? form.steps[0]!.code), 303);
    });

    scope.get<{ Params: { step: string } }>(`${options.basePath}/steps/:step`, { config }, async (request, reply) => {
      const step = findStep(request.params.step);
      const draft = await loadDraft(kernel.db, keyOf(request));
      const raw = draft?.data ?? {};
      const files = await draftFiles(kernel, draft);
      // Sent back from the summary or the submit because answers are missing: show what to fix.
      const errors = query(request, 'check') ? validate(raw, files, step.code).errors : [];
      const ctx = reply.view();
      const notice =
        query(request, 'saved') && draft
          ? ctx.t('forms.saved', { date: formatDate(ctx.lang, draft.expiresAt, kernel.config.city.timezone) })
          : undefined;
      return showStep(request, reply, { step, raw, files, errors, returnToSummary: query(request, 'return') === 'summary', notice });
    });

    scope.post<{ Params: { step: string } }>(
      `${options.basePath}/steps/:step`,
      { config: { ...config, csrf: false } },
      async (request, reply) => {
        const step = findStep(request.params.step);
        const post = await readStepPost(request);
        verifyCsrf(kernel.secret, request, post.csrf);
        const key = keyOf(request);
        const draft = await loadDraft(kernel.db, key);
        const files = await draftFiles(kernel, draft);
        let raw = mergeStep(step, draft?.data ?? {}, post.values);
        const uploads = await storeUploads(kernel.files, step, raw, post.uploads, uploadLimit);
        raw = uploads.raw;
        for (const file of uploads.stored) files.set(file.id, file);
        const removed = applyAction(post.action, step, raw);
        raw = removed.raw;
        if (removed.fileId) files.delete(removed.fileId);

        const whole = validate(raw, files);
        const own = validate(raw, files, step.code);
        const errors = [...uploads.errors, ...own.errors.filter((e) => !uploads.errors.some((u) => u.field === e.field))];
        const goesOn = post.action.kind === 'continue' && errors.length === 0;
        const next = post.returnToSummary ? 'summary' : (whole.steps[whole.steps.indexOf(step.code) + 1] ?? 'summary');
        await inTransaction(kernel.db, async (trx) => {
          const saved = await saveDraft(trx, key, {
            formVersion: form.version,
            step: goesOn ? next : step.code,
            data: raw,
            fileIds: [...files.keys()],
          });
          if (uploads.stored.length)
            await kernel.files.attach(
              trx,
              uploads.stored.map((f) => f.id),
              draftFileOwner(saved.id),
            );
          if (removed.fileId) await releaseDraftFile(trx, saved.id, removed.fileId);
        });

        if (post.action.kind === 'continue') {
          if (errors.length) return showStep(request, reply, { step, raw, files, errors, returnToSummary: post.returnToSummary }, 400);
          return reply.redirect(next === 'summary' ? `${base(request)}/summary` : stepHref(request, next), 303);
        }
        // Saving for later and the row and upload buttons keep what was typed without judging it yet.
        if (uploads.errors.length) {
          return showStep(request, reply, { step, raw, files, errors: uploads.errors, returnToSummary: post.returnToSummary }, 400);
        }
        const back = stepHref(request, step.code, post.returnToSummary);
        if (post.action.kind === 'save') return reply.redirect(`${back}${back.includes('?') ? '&' : '?'}saved=1`, 303);
        return reply.redirect(`${back}${removed.anchor ? `#${removed.anchor}` : ''}`, 303);
      },
    );

    scope.get(`${options.basePath}/summary`, { config }, async (request, reply) => {
      const draft = await loadDraft(kernel.db, keyOf(request));
      if (!draft) return reply.redirect(base(request), 303);
      const result = validate(draft.data, await draftFiles(kernel, draft));
      if (!result.ok) return reply.redirect(`${stepHref(request, stepOfError(result.errors) ?? form.steps[0]!.code)}?check=1`, 303);
      const ctx = reply.view();
      const steps = result.steps.map((code) => ({ step: findStep(code), href: stepHref(request, code, true) }));
      const last = result.steps[result.steps.length - 1] ?? form.steps[0]!.code;
      const body = h(SummaryPage, {
        ctx,
        definition: form,
        steps,
        data: result.data,
        asked: new Set(result.fields),
        submitAction: `${base(request)}/submit`,
        back: stepHref(request, last),
      });
      return reply.page(`${ctx.t('forms.summary.title')} – ${form.title[ctx.lang]}`, body);
    });

    scope.post(`${options.basePath}/submit`, { config }, async (request, reply) => {
      const key = keyOf(request);
      const draft = await loadDraft(kernel.db, key);
      if (!draft) return reply.redirect(base(request), 303);
      const result = validate(draft.data, await draftFiles(kernel, draft));
      if (!result.ok) return reply.redirect(`${stepHref(request, stepOfError(result.errors) ?? form.steps[0]!.code)}?check=1`, 303);
      const actor = request.actor as FormSubmission['actor'];
      const fileIds = collectFileIds(result.data, form);
      const outcome = await inTransaction(kernel.db, async (trx) => {
        // Deleting first settles a double submit: only one of two concurrent sends finds the draft.
        if (!(await discardDraft(trx, draft.id))) throw new HttpError(409, 'forms.already-sent', 'This form was already sent.');
        return options.onSubmit(trx, { data: result.data, fileIds, actor, subject: key.subject, formVersion: form.version }, request);
      });
      return reply.redirect(outcome.redirect, 303);
    });

    scope.post(`${options.basePath}/discard`, { config }, async (request, reply) => {
      const draft = await loadDraft(kernel.db, keyOf(request));
      if (draft) await inTransaction(kernel.db, (trx) => discardDraft(trx, draft.id));
      return reply.redirect(base(request), 303);
    });
  });
}

/** Applies a row or upload button; `anchor` is where the page scrolls back to. */
function applyAction(action: StepAction, step: StepDef, raw: RawValues): { raw: RawValues; fileId?: string; anchor?: string } {
  if (action.kind === 'add-row' || action.kind === 'remove-row') {
    const group = valueFields(step).find((f) => f.code === action.group);
    if (group?.type !== 'group') return { raw };
    const shown = rowCount(group, raw);
    if (action.kind === 'add-row') {
      return { raw: addRow(raw, group.code, shown, group.max ?? 20), anchor: `${group.code}.${shown}.${group.fields[0]?.code ?? ''}` };
    }
    return { raw: removeRow(raw, group.code, action.row, shown), anchor: group.code };
  }
  if (action.kind === 'remove-file' && fileNames(step, raw).includes(action.field)) {
    return { raw: removeFile(raw, action.field, action.id), fileId: action.id, anchor: action.field };
  }
  return { raw };
}

function collectFileIds(data: FormData, form: FormDefinition): string[] {
  const ids: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.id === 'string' && typeof record.mime === 'string') ids.push(record.id);
      else for (const inner of Object.values(record)) visit(inner);
    }
  };
  for (const step of form.steps) for (const field of valueFields(step)) visit(data[field.code]);
  return ids;
}
