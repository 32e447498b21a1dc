import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../../http/errors.js';
import type { Kernel } from '../../kernel.js';
import { CHANNELS, type Profile, readProfile, updateProfile } from './profile.js';
import { citizenOf } from './session-cookie.js';
import { LIMITS, problemMessage } from './validation.js';

const Lang = Type.Union([Type.Literal('fr'), Type.Literal('en')]);
const Channels = Type.Array(Type.Union(CHANNELS.map((c) => Type.Literal(c))), { uniqueItems: true, maxItems: CHANNELS.length });

const Me = Type.Object({
  id: Type.String(),
  email: Type.String(),
  emailVerified: Type.Boolean(),
  givenName: Type.String(),
  familyName: Type.String(),
  birthdate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  preferredLanguage: Lang,
  notificationChannels: Channels,
  identityLevel: Type.Integer({ description: '0 unknown, 100 self-declared, 200 e-mail verified, 600 identity provider' }),
  certified: Type.Array(Type.String(), { description: 'Fields asserted by the identity provider: they cannot be changed.' }),
});

/** Absent fields are unchanged; an empty string clears an optional one. */
const MePatch = Type.Object(
  {
    givenName: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.givenName })),
    familyName: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.familyName })),
    birthdate: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD, or "" to clear' })),
    address: Type.Optional(Type.String({ maxLength: LIMITS.address })),
    phone: Type.Optional(Type.String({ maxLength: LIMITS.phone })),
    preferredLanguage: Type.Optional(Lang),
    notificationChannels: Type.Optional(Channels),
  },
  { additionalProperties: false, minProperties: 1 },
);

function toJson(profile: Profile): Static<typeof Me> {
  return {
    id: profile.id,
    email: profile.email,
    emailVerified: profile.emailVerified,
    givenName: profile.givenName,
    familyName: profile.familyName,
    birthdate: profile.birthdate || null,
    address: profile.address || null,
    phone: profile.phone || null,
    preferredLanguage: profile.preferredLanguage,
    notificationChannels: profile.notificationChannels,
    identityLevel: profile.identityLevel,
    certified: profile.certified,
  };
}

/** The signed-in resident's profile as JSON, for the city's apps. */
export function meApi(app: FastifyInstance, kernel: Kernel): void {
  app.get(
    '/api/v1/me',
    {
      // Read with the session, in one statement: apps call this often.
      config: { auth: 'citizen', withProfile: true },
      schema: { tags: ['identity'], summary: 'The signed-in resident’s profile', response: { 200: Me } },
    },
    async (request) => {
      const actor = citizenOf(request);
      return toJson(actor.profile ?? (await readProfile(kernel.db, actor.account.id, kernel.config.city.defaultLanguage)));
    },
  );

  app.patch<{ Body: Static<typeof MePatch> }>(
    '/api/v1/me',
    {
      config: { auth: 'citizen' },
      schema: { tags: ['identity'], summary: 'Change the signed-in resident’s profile', body: MePatch, response: { 200: Me } },
    },
    async (request) => {
      const result = await updateProfile(kernel, citizenOf(request), request.body, { ip: request.ip });
      if ('problems' in result) {
        const fields = result.problems.map((p) => ({ field: p.field, message: problemMessage(kernel.i18n.translator('en'), p) }));
        throw new HttpError(400, 'validation', `Invalid body: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}.`, fields);
      }
      return toJson(result.profile);
    },
  );
}
