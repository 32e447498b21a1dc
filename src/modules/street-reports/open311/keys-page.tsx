import { formatDateTime } from '../../../kernel/i18n/format.js';
import { ErrorSummary, type FieldError, Form, Notice } from '../../../kernel/ui/components.js';
import type { ViewContext } from '../../../kernel/ui/context.js';
import { TextField } from '../../../kernel/ui/fields.js';
import type { Open311Key } from './keys.js';

export const KEYS_PATH = '/admin/open311/keys';

/** The keys of Open311 client applications: issue one (shown once), revoke one. */
export function KeysPage(props: {
  ctx: ViewContext;
  keys: (Open311Key & { createdByEmail: string | null })[];
  created?: { name: string; key: string };
  revoked?: string;
  errors?: FieldError[];
  name?: string;
}) {
  const { ctx } = props;
  const t = ctx.t;
  const when = (iso: string) => formatDateTime(ctx.lang, iso, ctx.city.timezone);
  return (
    <>
      <h1>{t('street-reports.open311.keys.title')}</h1>
      <p class="lead">{t('street-reports.open311.keys.lead')}</p>
      <ErrorSummary ctx={ctx} errors={props.errors ?? []} />
      {props.created ? (
        <Notice kind="success">
          <p>{t('street-reports.open311.keys.created', { name: props.created.name })}</p>
          <p>
            {t('street-reports.open311.keys.keyLabel')} <code class="break">{props.created.key}</code>
          </p>
        </Notice>
      ) : null}
      {props.revoked ? <Notice kind="success">{t('street-reports.open311.keys.revoked', { name: props.revoked })}</Notice> : null}
      <h2>{t('street-reports.open311.keys.new')}</h2>
      <Form ctx={ctx} action={KEYS_PATH}>
        <TextField
          name="name"
          label={t('street-reports.open311.keys.name')}
          hint={t('street-reports.open311.keys.nameHint')}
          errors={props.errors}
          value={props.name}
          maxLength={120}
          required
        />
        <button type="submit">{t('street-reports.open311.keys.create')}</button>
      </Form>
      <h2>{t('street-reports.open311.keys.list')}</h2>
      {props.keys.length ? (
        <table class="data-table">
          <caption class="visually-hidden">{t('street-reports.open311.keys.list')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('street-reports.open311.keys.name')}</th>
              <th scope="col">{t('street-reports.open311.keys.createdAt')}</th>
              <th scope="col">{t('street-reports.open311.keys.createdBy')}</th>
              <th scope="col">{t('street-reports.open311.keys.lastUsed')}</th>
              <th scope="col">{t('street-reports.open311.keys.status')}</th>
              <th scope="col">{t('street-reports.open311.keys.action')}</th>
            </tr>
          </thead>
          <tbody>
            {props.keys.map((key) => (
              <tr key={key.id}>
                <th scope="row">{key.name}</th>
                <td>{when(key.createdAt)}</td>
                <td>{key.createdByEmail ?? t('street-reports.open311.keys.commandLine')}</td>
                <td>{key.lastUsedAt ? when(key.lastUsedAt) : t('street-reports.open311.keys.never')}</td>
                <td>
                  {key.revokedAt
                    ? t('street-reports.open311.keys.revokedOn', { date: when(key.revokedAt) })
                    : t('street-reports.open311.keys.active')}
                </td>
                <td>
                  {key.revokedAt ? null : (
                    <Form ctx={ctx} action={`${KEYS_PATH}/${key.id}/revoke`} class="inline-form">
                      <button type="submit" class="secondary">
                        {t('street-reports.open311.keys.revoke')}
                        <span class="visually-hidden"> {key.name}</span>
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('street-reports.open311.keys.none')}</p>
      )}
    </>
  );
}
