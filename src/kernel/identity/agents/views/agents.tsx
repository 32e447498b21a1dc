import { formatDateTime } from '../../../i18n/format.js';
import { ErrorSummary, type FieldError, Form, Notice } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';
import { type Choice, SelectField, TextField } from '../../../ui/fields.js';
import type { Agent } from '../agents.js';
import type { Role } from '../roles.js';
import type { Unit } from '../unit-admin.js';

const roleChoices = (ctx: ViewContext, roles: Role[]): Choice[] => roles.map((r) => ({ value: r.code, label: r.name[ctx.lang] }));
const unitChoices = (ctx: ViewContext, units: Unit[]): Choice[] =>
  units.map((u) => ({ value: u.code, label: `${'– '.repeat(u.path.split('/').length - 3)}${u.name[ctx.lang]}` }));

function Grants({ ctx, agent }: { ctx: ViewContext; agent: Agent }) {
  if (!agent.grants.length) return <>{ctx.t('admin.agents.noRole')}</>;
  return (
    <ul>
      {agent.grants.map((g) => (
        <li key={g.id}>{ctx.t('admin.agents.grant', { role: g.roleName[ctx.lang], unit: g.unitName[ctx.lang] })}</li>
      ))}
    </ul>
  );
}

export function AgentsPage({ ctx, agents }: { ctx: ViewContext; agents: Agent[] }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.agents.title')}</h1>
      <p>
        <a class="button" href="/admin/agents/new">
          {t('admin.agents.create')}
        </a>
      </p>
      {agents.length ? (
        <table class="data-table">
          <caption class="visually-hidden">{t('admin.agents.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.fields.displayName')}</th>
              <th scope="col">{t('admin.fields.email')}</th>
              <th scope="col">{t('admin.agents.status')}</th>
              <th scope="col">{t('admin.agents.roles')}</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  <a href={`/admin/agents/${a.id}`}>{a.displayName}</a>
                </th>
                <td>{a.email}</td>
                <td>{t(`admin.agents.status.${a.status}`)}</td>
                <td>{a.isAdmin ? t('admin.agents.administrator') : <Grants ctx={ctx} agent={a} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('admin.agents.none')}</p>
      )}
    </>
  );
}

export interface NewAgentValues {
  email?: string;
  display_name?: string;
  access?: string;
  role?: string;
  unit?: string;
}

export function NewAgentPage(props: {
  ctx: ViewContext;
  roles: Role[];
  units: Unit[];
  roleOptional: boolean;
  values: NewAgentValues;
  errors: FieldError[];
}) {
  const { ctx, values, errors } = props;
  const t = ctx.t;
  const access = values.access === 'password' ? 'password' : 'link';
  return (
    <>
      <h1>{t('admin.agents.create')}</h1>
      <Form ctx={ctx} action="/admin/agents">
        <ErrorSummary ctx={ctx} errors={errors} />
        <TextField
          name="email"
          type="email"
          label={t('admin.fields.email')}
          value={values.email}
          maxLength={254}
          autocomplete="off"
          errors={errors}
        />
        <TextField
          name="display_name"
          label={t('admin.fields.displayName')}
          value={values.display_name}
          maxLength={200}
          autocomplete="off"
          errors={errors}
        />
        <fieldset>
          <legend>{t('admin.agents.access')}</legend>
          <div class="choices">
            <label>
              <input type="radio" id="access-link" name="access" value="link" checked={access === 'link'} />
              {t('admin.agents.accessLink')}
            </label>
            <label>
              <input type="radio" id="access-password" name="access" value="password" checked={access === 'password'} />
              {t('admin.agents.accessPassword')}
            </label>
          </div>
        </fieldset>
        <TextField
          name="password"
          type="password"
          label={t('admin.fields.initialPassword')}
          hint={t('admin.agents.passwordHint')}
          autocomplete="new-password"
          errors={errors}
        />
        <fieldset>
          <legend>{t(props.roleOptional ? 'admin.agents.firstRoleOptional' : 'admin.agents.firstRole')}</legend>
          <SelectField
            name="role"
            label={t('admin.fields.role')}
            choices={roleChoices(ctx, props.roles)}
            value={values.role}
            empty={t('admin.fields.none')}
            errors={errors}
          />
          <SelectField
            name="unit"
            label={t('admin.fields.unit')}
            choices={unitChoices(ctx, props.units)}
            value={values.unit}
            empty={t('admin.fields.none')}
            errors={errors}
          />
        </fieldset>
        <button type="submit">{t('admin.agents.createSubmit')}</button>
      </Form>
      <p>
        <a href="/admin/agents">{t('admin.agents.back')}</a>
      </p>
    </>
  );
}

/** Shown once after creation: only the link's hash is stored. */
export function AgentCreatedPage({ ctx, agentId, email, link }: { ctx: ViewContext; agentId: string; email: string; link: string }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.agents.created')}</h1>
      <Notice kind="success">{t('admin.agents.linkLead', { email })}</Notice>
      <p>
        <code class="break">{link}</code>
      </p>
      <p>{t('admin.agents.linkOnce')}</p>
      <p>
        <a href={`/admin/agents/${agentId}`}>{t('admin.agents.open')}</a>
      </p>
    </>
  );
}

export function AgentPage(props: {
  ctx: ViewContext;
  agent: Agent;
  self: boolean;
  roles: Role[];
  units: Unit[];
  values: { role?: string; unit?: string };
  errors: FieldError[];
  notice?: string;
}) {
  const { ctx, agent, errors } = props;
  const t = ctx.t;
  return (
    <>
      <h1>{agent.displayName}</h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <dl>
        <dt>{t('admin.fields.email')}</dt>
        <dd>{agent.email}</dd>
        <dt>{t('admin.agents.status')}</dt>
        <dd>{t(`admin.agents.status.${agent.status}`)}</dd>
        <dt>{t('admin.agents.mfa')}</dt>
        <dd>{t(agent.totpEnabled ? 'admin.agents.mfaOn' : 'admin.agents.mfaOff')}</dd>
        <dt>{t('admin.agents.lastLogin')}</dt>
        <dd>{agent.lastLoginAt ? formatDateTime(ctx.lang, agent.lastLoginAt, ctx.city.timezone) : t('admin.agents.never')}</dd>
      </dl>

      <h2>{t('admin.agents.roles')}</h2>
      {agent.isAdmin ? <p>{t('admin.agents.administrator')}</p> : null}
      {agent.grants.length ? (
        <ul class="grants">
          {agent.grants.map((g) => (
            <li key={g.id}>
              {t('admin.agents.grant', { role: g.roleName[ctx.lang], unit: g.unitName[ctx.lang] })}
              <Form ctx={ctx} action={`/admin/agents/${agent.id}/grants/${g.id}/revoke`} class="inline-form">
                <button type="submit" class="secondary">
                  {t('admin.agents.revoke')}
                  <span class="visually-hidden">
                    {' '}
                    {t('admin.agents.grant', { role: g.roleName[ctx.lang], unit: g.unitName[ctx.lang] })}
                  </span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : agent.isAdmin ? null : (
        <p>{t('admin.agents.noRole')}</p>
      )}

      <h2>{t('admin.agents.grantTitle')}</h2>
      {props.roles.length && props.units.length ? (
        <Form ctx={ctx} action={`/admin/agents/${agent.id}/grants`}>
          <ErrorSummary ctx={ctx} errors={errors} />
          <SelectField
            name="role"
            label={t('admin.fields.role')}
            choices={roleChoices(ctx, props.roles)}
            value={props.values.role}
            errors={errors}
          />
          <SelectField
            name="unit"
            label={t('admin.fields.unit')}
            choices={unitChoices(ctx, props.units)}
            value={props.values.unit}
            errors={errors}
          />
          <button type="submit">{t('admin.agents.grantSubmit')}</button>
        </Form>
      ) : (
        <p>{t('admin.agents.nothingToGrant')}</p>
      )}

      {props.self ? null : (
        <>
          <h2>{t('admin.agents.statusTitle')}</h2>
          <Form ctx={ctx} action={`/admin/agents/${agent.id}/${agent.status === 'active' ? 'disable' : 'enable'}`}>
            <p>{t(agent.status === 'active' ? 'admin.agents.disableHint' : 'admin.agents.enableHint')}</p>
            <button type="submit" class="secondary">
              {t(agent.status === 'active' ? 'admin.agents.disable' : 'admin.agents.enable')}
            </button>
          </Form>
        </>
      )}
      <p>
        <a href="/admin/agents">{t('admin.agents.back')}</a>
      </p>
    </>
  );
}
