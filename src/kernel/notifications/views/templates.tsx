import { formatDateTime } from '../../i18n/format.js';
import { LANGS, type Lang } from '../../i18n/types.js';
import { ErrorSummary, type FieldError, Form, Notice } from '../../ui/components.js';
import type { ViewContext } from '../../ui/context.js';
import { TextArea, TextField } from '../../ui/fields.js';
import { LIMITS, type NotificationTemplateDefinition, type TemplateContents, type TemplateVersion } from '../templates.js';
import { channelText } from './labels.js';

const placeholders = (names: readonly string[]) => names.map((n) => `((${n}))`).join(', ');

/** The templates of the enabled modules, with the version in use. */
export function TemplatesPage({
  ctx,
  templates,
}: {
  ctx: ViewContext;
  templates: { def: NotificationTemplateDefinition; version: number }[];
}) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('notifications.templates.title')}</h1>
      <p class="lead">{t('notifications.templates.lead')}</p>
      {templates.length ? (
        <table class="data-table">
          <caption class="visually-hidden">{t('notifications.templates.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('notifications.fields.template')}</th>
              <th scope="col">{t('notifications.templates.description')}</th>
              <th scope="col">{t('notifications.templates.channels')}</th>
              <th scope="col">{t('notifications.templates.version')}</th>
            </tr>
          </thead>
          <tbody>
            {templates.map(({ def, version }) => (
              <tr key={def.code}>
                <th scope="row">
                  <a href={`/admin/notifications/templates/${def.code}`}>{def.code}</a>
                </th>
                <td>{def.description}</td>
                <td>{def.channels.map((c) => channelText(ctx, c)).join(', ')}</td>
                <td>{version === 0 ? t('notifications.templates.default') : version}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('notifications.templates.none')}</p>
      )}
      <p>
        <a href="/admin/notifications">{t('notifications.detail.back')}</a>
      </p>
    </>
  );
}

function LanguageFields({
  ctx,
  lang,
  def,
  values,
  errors,
}: {
  ctx: ViewContext;
  lang: Lang;
  def: NotificationTemplateDefinition;
  values: TemplateContents;
  errors: FieldError[];
}) {
  const t = ctx.t;
  const language = t(`notifications.language.${lang}`);
  return (
    <fieldset>
      <legend>{language}</legend>
      <TextField
        name={`${lang}_subject`}
        label={t('notifications.templates.subject', { language })}
        value={values[lang].subject}
        maxLength={LIMITS.subject}
        errors={errors}
      />
      <TextArea
        name={`${lang}_body`}
        label={t('notifications.templates.body', { language })}
        hint={t('notifications.templates.bodyHint')}
        value={values[lang].body}
        maxLength={LIMITS.body}
        errors={errors}
      />
      {def.channels.includes('sms') ? (
        <TextArea
          name={`${lang}_sms`}
          label={t('notifications.templates.sms', { language })}
          value={values[lang].sms}
          maxLength={LIMITS.sms}
          errors={errors}
        />
      ) : null}
    </fieldset>
  );
}

/** Editing a template: each save is a new version; earlier versions stay listed below. */
export function TemplateFormPage(props: {
  ctx: ViewContext;
  def: NotificationTemplateDefinition;
  values: TemplateContents;
  baseVersion: number;
  versions: TemplateVersion[];
  errors: FieldError[];
  notice?: string;
}) {
  const { ctx, def, errors } = props;
  const t = ctx.t;
  return (
    <>
      <h1>{t('notifications.templates.edit', { code: def.code })}</h1>
      <p class="lead">{def.description}</p>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <p>
        {def.placeholders.length
          ? t('notifications.templates.placeholders', { names: placeholders(def.placeholders) })
          : t('notifications.templates.noPlaceholders')}
      </p>
      <Form ctx={ctx} action={`/admin/notifications/templates/${def.code}`}>
        <ErrorSummary ctx={ctx} errors={errors} />
        <input type="hidden" name="base_version" value={String(props.baseVersion)} />
        {LANGS.map((lang) => (
          <LanguageFields key={lang} ctx={ctx} lang={lang} def={def} values={props.values} errors={errors} />
        ))}
        <button type="submit">{t('notifications.templates.save')}</button>
      </Form>
      <h2>{t('notifications.templates.versions')}</h2>
      {props.versions.map((v) => (
        <details key={v.version}>
          <summary>
            {v.version === 0
              ? t('notifications.templates.defaultVersion')
              : t('notifications.templates.versionBy', {
                  version: v.version,
                  author: v.authorLabel ?? '',
                  at: v.createdAt ? formatDateTime(ctx.lang, v.createdAt, ctx.city.timezone) : '',
                })}
            {v.version === props.versions[0]?.version ? ` (${t('notifications.templates.inUse')})` : ''}
          </summary>
          {LANGS.map((lang) => (
            <div key={lang}>
              <h3>{t(`notifications.language.${lang}`)}</h3>
              <p>
                <strong>{v.contents[lang].subject}</strong>
              </p>
              <pre class="break">{v.contents[lang].body}</pre>
              {v.contents[lang].sms ? <pre class="break">{v.contents[lang].sms}</pre> : null}
            </div>
          ))}
        </details>
      ))}
      <p>
        <a href="/admin/notifications/templates">{t('notifications.templates.back')}</a>
      </p>
    </>
  );
}
