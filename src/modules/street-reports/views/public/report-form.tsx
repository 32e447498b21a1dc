import type { ComponentChildren } from 'preact';
import { type FormDefinition, type FormError, type RawValues, StepFields } from '../../../../kernel/forms/index.js';
import type { GeocodedAddress } from '../../../../kernel/geo/geocoder.js';
import type { MapView, Point, Projection } from '../../../../kernel/geo/map.js';
import { formatDate } from '../../../../kernel/i18n/format.js';
import { ErrorSummary, type FieldError, Form, Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { PhotosField, TextArea, TextField } from '../../../../kernel/ui/fields.js';
import type { Category, CategoryTree } from '../../domain/categories.js';
import { DESCRIPTION_MAX, PHOTOS_MAX } from '../../domain/create-report.js';
import type { NearbyReport } from '../../domain/nearby.js';
import { reportWorkflow } from '../../workflow.js';
import { CategoryIcon } from './category-icons.js';
import { mapImageUrl } from './map.js';

export type Step = 'category' | 'place' | 'nearby' | 'details';
const STEPS: Step[] = ['category', 'place', 'nearby', 'details'];

interface StepProps {
  ctx: ViewContext;
  /** The sealed draft, carried by every form of the page. */
  draft: string;
  errors: FieldError[];
}

/** The manifest link makes the reporting pages installable; the script only enhances them. */
export function ReportingAssets() {
  return (
    <>
      <link rel="manifest" href="/reports/app.webmanifest" />
      <script src="/assets/street-reports.js" defer />
    </>
  );
}

function Frame({ ctx, step, errors, children }: { ctx: ViewContext; step: Step; errors: FieldError[]; children: ComponentChildren }) {
  return (
    <div class="report-flow" data-step={step}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="step-count">{ctx.t('street-reports.public.form.stepOf', { n: STEPS.indexOf(step) + 1, total: STEPS.length })}</p>
      <h1>{ctx.t(`street-reports.public.form.${step}.title`)}</h1>
      {children}
      <ReportingAssets />
    </div>
  );
}

function Carry({ draft, step }: { draft: string; step: Step }) {
  return (
    <>
      <input type="hidden" name="draft" value={draft} />
      <input type="hidden" name="step" value={step} />
    </>
  );
}

function NavButtons({ ctx, back, next }: { ctx: ViewContext; back: boolean; next: string }) {
  return (
    <div class="form-actions">
      <button type="submit" name="go" value="next" class="button">
        {next}
      </button>
      {back ? (
        <button type="submit" name="go" value="back" class="button secondary">
          {ctx.t('street-reports.public.form.back')}
        </button>
      ) : null}
    </div>
  );
}

function path(tree: CategoryTree, category: Category, lang: ViewContext['lang']): string {
  return [...category.parents.map((p) => tree.byCode.get(p)?.label[lang] ?? p), category.label[lang]].join(' › ');
}

function LeafChoice({
  ctx,
  leaf,
  checked,
  tree,
  full,
}: {
  ctx: ViewContext;
  leaf: Category;
  checked: boolean;
  tree: CategoryTree;
  full?: boolean;
}) {
  return (
    <label class="category-leaf" data-search={[path(tree, leaf, 'fr'), path(tree, leaf, 'en')].join(' ')}>
      <input type="radio" name="category" id={`category-${leaf.code}`} value={leaf.code} checked={checked} />
      {full ? path(tree, leaf, ctx.lang) : leaf.label[ctx.lang]}
    </label>
  );
}

function Branch({ ctx, node, tree, chosen }: { ctx: ViewContext; node: Category; tree: CategoryTree; chosen?: string }) {
  const leaves = node.children.filter((c) => c.children.length === 0 && !c.agentOnly);
  const families = node.children.filter((c) => c.children.length > 0);
  return (
    <>
      {leaves.map((leaf) => (
        <LeafChoice key={leaf.code} ctx={ctx} leaf={leaf} tree={tree} checked={leaf.code === chosen} />
      ))}
      {families.map((family) => (
        <fieldset key={family.code} class="category-family">
          <legend>{family.label[ctx.lang]}</legend>
          <Branch ctx={ctx} node={family} tree={tree} chosen={chosen} />
        </fieldset>
      ))}
    </>
  );
}

/** Step 1: the category, from the tree or a search; a category handled elsewhere says where. */
export function CategoryStep(
  props: StepProps & { tree: CategoryTree; query: string; results: Category[] | null; chosen?: string; elsewhere?: string },
) {
  const { ctx, tree } = props;
  const t = ctx.t;
  return (
    <Frame ctx={ctx} step="category" errors={props.errors}>
      <p class="lead">{t('street-reports.public.form.category.lead')}</p>
      {props.elsewhere ? (
        <Notice>
          <strong>{t('street-reports.public.form.category.elsewhere')}</strong> {props.elsewhere}
        </Notice>
      ) : null}
      <Form ctx={ctx} action="/reports/new" class="report-form">
        <Carry draft={props.draft} step="category" />
        <div class="field category-search">
          <label for="q">{t('street-reports.public.form.category.search')}</label>
          <span class="hint" id="q-hint">
            {t('street-reports.public.form.category.searchHint')}
          </span>
          <div class="inline-input">
            <input id="q" name="q" type="search" value={props.query} aria-describedby="q-hint" autoComplete="off" />
            <button type="submit" name="go" value="search" class="button secondary">
              {t('street-reports.public.form.category.searchButton')}
            </button>
          </div>
        </div>
        <fieldset class={`field category-tree${props.errors.some((e) => e.field === 'category') ? ' field-error' : ''}`}>
          <legend>{t('street-reports.public.form.category.legend')}</legend>
          {props.errors
            .filter((e) => e.field === 'category')
            .map((e) => (
              <span key={e.message} class="error-message">
                {e.message}
              </span>
            ))}
          <span id="category" tabIndex={-1} />
          {props.results ? (
            props.results.length ? (
              <div class="choices">
                {props.results.slice(0, 40).map((leaf) => (
                  <LeafChoice key={leaf.code} ctx={ctx} leaf={leaf} tree={tree} checked={leaf.code === props.chosen} full />
                ))}
              </div>
            ) : (
              <p>{t('street-reports.public.form.category.noResult')}</p>
            )
          ) : (
            tree.roots.map((root) => (
              <details
                key={root.code}
                class="category-root"
                open={props.chosen ? (tree.byCode.get(props.chosen)?.parents.includes(root.code) ?? false) : false}
              >
                <summary>
                  <CategoryIcon name={root.icon} />
                  {root.label[ctx.lang]}
                </summary>
                <div class="choices">
                  <Branch ctx={ctx} node={root} tree={tree} chosen={props.chosen} />
                </div>
              </details>
            ))
          )}
        </fieldset>
        <NavButtons ctx={ctx} back={false} next={t('street-reports.public.form.continue')} />
      </Form>
    </Frame>
  );
}

function ChosenCategory({ ctx, tree, code }: { ctx: ViewContext; tree: CategoryTree; code?: string }) {
  const category = code ? tree.byCode.get(code) : undefined;
  if (!category) return null;
  return (
    <p class="chosen">
      {ctx.t('street-reports.public.form.chosenCategory')} <strong>{path(tree, category, ctx.lang)}</strong>
    </p>
  );
}

export interface PlaceChoice {
  point: Point | null;
  address?: string;
  districtName?: string;
}

/** Step 2: the place, by clicking the map, searching an address or typing coordinates. */
export function PlaceStep(
  props: StepProps & {
    tree: CategoryTree;
    category?: string;
    place: PlaceChoice;
    view: MapView;
    proj: Projection;
    addressQuery: string;
    addresses: GeocodedAddress[] | null;
    geocoder: 'ready' | 'off' | 'down';
    lat: string;
    lng: string;
  },
) {
  const { ctx, place } = props;
  const t = ctx.t;
  return (
    <Frame ctx={ctx} step="place" errors={props.errors}>
      <ChosenCategory ctx={ctx} tree={props.tree} code={props.category} />
      {place.point ? (
        <Notice kind="success">
          {t('street-reports.public.form.place.chosen')}{' '}
          <strong>{place.address ?? `${place.point.lat.toFixed(5)}, ${place.point.lng.toFixed(5)}`}</strong>
          {place.districtName ? ` (${place.districtName})` : ''}
        </Notice>
      ) : null}
      <Form ctx={ctx} action="/reports/new" class="report-form map-form">
        <Carry draft={props.draft} step="place" />
        <fieldset class="field">
          <legend>{t('street-reports.public.form.place.mapLegend')}</legend>
          <span class="hint" id="map-hint">
            {t(props.view.zoom === 1 ? 'street-reports.public.form.place.mapHintCity' : 'street-reports.public.form.place.mapHintZoomed')}
          </span>
          <input
            type="image"
            id="map"
            name="map"
            class="map-input"
            src={mapImageUrl(props.view, place.point)}
            width={props.proj.width}
            height={props.proj.height}
            alt={t('street-reports.public.form.place.mapAlt')}
            aria-describedby="map-hint"
            data-lat={props.view.lat.toFixed(6)}
            data-lng={props.view.lng.toFixed(6)}
            data-zoom={props.view.zoom}
          />
          <div class="form-actions">
            {props.view.zoom > 1 ? (
              <button type="submit" name="go" value="zoom-out" class="button secondary">
                {t('street-reports.public.form.place.zoomOut')}
              </button>
            ) : null}
            <button type="button" class="button secondary js-only locate-me" hidden>
              {t('street-reports.public.form.place.locate')}
            </button>
          </div>
        </fieldset>
      </Form>
      <Form ctx={ctx} action="/reports/new" class="report-form">
        <Carry draft={props.draft} step="place" />
        <div class={`field${props.errors.some((e) => e.field === 'address') ? ' field-error' : ''}`}>
          <label for="address">{t('street-reports.public.form.place.address')}</label>
          {props.geocoder === 'ready' ? null : (
            <span class="hint" id="address-hint">
              {t(`street-reports.public.form.place.geocoder-${props.geocoder}`)}
            </span>
          )}
          <div class="inline-input">
            <input
              id="address"
              name="address"
              type="search"
              value={props.addressQuery}
              autoComplete="street-address"
              maxLength={200}
              disabled={props.geocoder === 'off'}
              aria-describedby={props.geocoder === 'ready' ? undefined : 'address-hint'}
            />
            <button type="submit" name="go" value="search" class="button secondary" disabled={props.geocoder === 'off'}>
              {t('street-reports.public.form.place.addressButton')}
            </button>
          </div>
        </div>
      </Form>
      {props.addresses ? (
        <Form ctx={ctx} action="/reports/new" class="report-form">
          <Carry draft={props.draft} step="place" />
          <fieldset class="field">
            <legend>{t('street-reports.public.form.place.addresses')}</legend>
            {props.addresses.length ? (
              <ul class="address-results">
                {props.addresses.map((a) => (
                  <li key={a.label}>
                    <button type="submit" name="pick" value={`${a.lat},${a.lng},${a.label}`} class="link-button">
                      {a.label}
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('street-reports.public.form.place.noAddress')}</p>
            )}
          </fieldset>
        </Form>
      ) : null}
      <Form ctx={ctx} action="/reports/new" class="report-form coords-form">
        <Carry draft={props.draft} step="place" />
        <fieldset class="field">
          <legend>{t('street-reports.public.form.place.coords')}</legend>
          <div class="coords">
            <TextField
              name="lat"
              label={t('street-reports.public.form.place.lat')}
              value={props.lat}
              inputMode="text"
              errors={props.errors}
            />
            <TextField
              name="lng"
              label={t('street-reports.public.form.place.lng')}
              value={props.lng}
              inputMode="text"
              errors={props.errors}
            />
          </div>
          <button type="submit" name="go" value="coords" class="button secondary">
            {t('street-reports.public.form.place.coordsButton')}
          </button>
        </fieldset>
      </Form>
      <Form ctx={ctx} action="/reports/new" class="report-form">
        <Carry draft={props.draft} step="place" />
        <span id="place" tabIndex={-1} />
        <NavButtons ctx={ctx} back next={t('street-reports.public.form.continue')} />
      </Form>
    </Frame>
  );
}

function stateLabel(ctx: ViewContext, state: string): string {
  return reportWorkflow.states[state]?.label[ctx.lang] ?? state;
}

/** Step 3: open reports nearby, the same category first; following one saves filing a duplicate. */
export function NearbyStep(props: StepProps & { tree: CategoryTree; nearby: NearbyReport[]; signedIn: boolean; radius: number }) {
  const { ctx, tree } = props;
  const t = ctx.t;
  return (
    <Frame ctx={ctx} step="nearby" errors={props.errors}>
      <p class="lead">{t('street-reports.public.form.nearby.lead', { radius: props.radius })}</p>
      <ul class="nearby-list">
        {props.nearby.map((r) => (
          <li key={r.id} class="card">
            <h2>
              <a href={`/reports/${r.id}`}>{tree.byCode.get(r.category)?.label[ctx.lang] ?? r.category}</a>
            </h2>
            <p>
              {t('street-reports.public.form.nearby.distance', { metres: r.distance })} · {stateLabel(ctx, r.state)} ·{' '}
              {formatDate(ctx.lang, r.createdAt, ctx.city.timezone)}
              {r.address ? ` · ${r.address}` : ''}
            </p>
            {props.signedIn ? (
              <Form ctx={ctx} action={`/reports/${r.id}/follow`}>
                <button type="submit" class="button secondary">
                  {t('street-reports.public.form.nearby.follow')}
                  <span class="visually-hidden"> ({r.reference})</span>
                </button>
              </Form>
            ) : (
              <a href={`/login?next=${encodeURIComponent(`/reports/${r.id}`)}`}>
                {t('street-reports.public.form.nearby.loginToFollow')}
                <span class="visually-hidden"> ({r.reference})</span>
              </a>
            )}
          </li>
        ))}
      </ul>
      <Form ctx={ctx} action="/reports/new" class="report-form">
        <Carry draft={props.draft} step="nearby" />
        <NavButtons ctx={ctx} back next={t('street-reports.public.form.nearby.none')} />
      </Form>
    </Frame>
  );
}

/** Step 4: photos, description, and whether to sign the report. */
export function DetailsStep(
  props: StepProps & {
    tree: CategoryTree;
    category?: string;
    place: PlaceChoice;
    photos: string[];
    description: string;
    signedIn: boolean;
    anonymous: boolean;
    anonymousAllowed: boolean;
    hadNearby: boolean;
    /** The category's extra questions with the answers so far and their problems. */
    questions: { form: FormDefinition; raw: RawValues; errors: FormError[] } | null;
  },
) {
  const { ctx } = props;
  const t = ctx.t;
  const photoError = props.errors.find((e) => e.field === 'photos')?.message;
  return (
    <Frame ctx={ctx} step="details" errors={props.errors}>
      <ChosenCategory ctx={ctx} tree={props.tree} code={props.category} />
      {props.place.point ? (
        <p class="chosen">
          {t('street-reports.public.form.place.chosen')}{' '}
          <strong>{props.place.address ?? `${props.place.point.lat.toFixed(5)}, ${props.place.point.lng.toFixed(5)}`}</strong>
          {props.place.districtName ? ` (${props.place.districtName})` : ''}
        </p>
      ) : null}
      <p
        class="offline-status notice"
        role="status"
        hidden
        data-saved={t('street-reports.public.offline.saved')}
        data-sending={t('street-reports.public.offline.sending')}
        data-failed={t('street-reports.public.offline.failed')}
      />
      <Form ctx={ctx} action="/reports/new" enctype="multipart/form-data" class="report-form details-form">
        <Carry draft={props.draft} step="details" />
        <input type="hidden" name="had-nearby" value={props.hadNearby ? '1' : '0'} />
        {props.questions ? (
          <section class="category-questions" aria-labelledby="questions-title">
            <h2 id="questions-title">{t('street-reports.public.form.details.questions')}</h2>
            <StepFields
              definition={props.questions.form}
              step={props.questions.form.steps[0]!}
              view={{ ctx, raw: props.questions.raw, errors: props.questions.errors, files: new Map() }}
              data={{}}
            />
          </section>
        ) : null}
        {props.photos.length ? (
          <fieldset class="field">
            <legend>{t('street-reports.public.form.details.attached')}</legend>
            <ul class="photo-list">
              {props.photos.map((id, i) => (
                <li key={id}>
                  <img
                    src={`/files/${id}/thumb`}
                    alt={t('street-reports.public.form.details.photoAlt', { n: i + 1 })}
                    width={96}
                    height={96}
                  />
                  <label>
                    <input type="checkbox" name="remove" value={id} /> {t('street-reports.public.form.details.remove', { n: i + 1 })}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        ) : null}
        <PhotosField
          name="photos"
          label={t('street-reports.public.form.details.photos', { max: PHOTOS_MAX })}
          hint={t('street-reports.public.form.details.photosHint')}
          error={photoError}
        />
        <TextArea
          name="description"
          label={t('street-reports.public.form.details.description')}
          hint={t('street-reports.public.form.details.descriptionHint', { max: DESCRIPTION_MAX })}
          value={props.description}
          maxLength={DESCRIPTION_MAX}
          errors={props.errors}
        />
        {props.signedIn && props.anonymousAllowed ? (
          <fieldset class="field">
            <legend>{t('street-reports.public.form.details.identity')}</legend>
            <div class="choices">
              <label>
                <input type="radio" name="identity" id="anonymous" value="signed" checked={!props.anonymous} />
                {t('street-reports.public.form.details.signed')}
              </label>
              <label>
                <input type="radio" name="identity" id="identity-anonymous" value="anonymous" checked={props.anonymous} />
                {t('street-reports.public.form.details.anonymous')}
              </label>
            </div>
          </fieldset>
        ) : props.signedIn ? null : (
          <p id="anonymous" class="hint">
            {t(
              props.anonymousAllowed
                ? 'street-reports.public.form.details.anonymousNote'
                : 'street-reports.public.form.details.loginNeeded',
            )}{' '}
            <a href="/login?next=/reports/new">{t('street-reports.public.form.details.login')}</a>
          </p>
        )}
        <NavButtons ctx={ctx} back next={t('street-reports.public.form.details.send')} />
      </Form>
    </Frame>
  );
}
