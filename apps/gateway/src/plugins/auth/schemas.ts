// Request and response schemas of the auth routes.
import Type from 'typebox';
import { maxPasswordLength } from './credentials.js';
import { maxTokenLifetimeDays } from './tokens.js';

const closed = { additionalProperties: false } as const;

const source = Type.Union([Type.Literal('local'), Type.Literal('oidc'), Type.Literal('host')]);
const isoTime = Type.String({ format: 'date-time' });
const groupName = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[^\\u0000-\\u001f\\u007f]+$',
});
const displayName = Type.String({ minLength: 1, maxLength: 128 });

export const authUser = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    groups: Type.Array(Type.String()),
    source,
    via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  },
  closed,
);

export const loginBody = Type.Object(
  {
    // Loose on purpose: a name that breaks the username rule gets the same answer as a wrong one.
    username: Type.String({ minLength: 1, maxLength: 256 }),
    password: Type.String({ minLength: 1, maxLength: maxPasswordLength }),
  },
  closed,
);

export const sessionGrant = Type.Object(
  {
    accessToken: Type.String(),
    expiresIn: Type.Integer({ description: 'Seconds until the access token expires.' }),
    user: authUser,
  },
  closed,
);

export const ticketResponse = Type.Object(
  {
    ticket: Type.String(),
    expiresIn: Type.Integer({ description: 'Seconds the ticket stays usable, once.' }),
  },
  closed,
);

export const passwordChange = Type.Object(
  {
    current: Type.String({ minLength: 1, maxLength: maxPasswordLength }),
    next: Type.String({ minLength: 1, maxLength: maxPasswordLength }),
  },
  closed,
);

export const userView = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    source,
    disabled: Type.Boolean(),
    groups: Type.Array(Type.String()),
    createdAt: isoTime,
    updatedAt: isoTime,
  },
  closed,
);

export const userList = Type.Object({ items: Type.Array(userView) }, closed);

export const userCreate = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 256 }),
    password: Type.String({ minLength: 1, maxLength: maxPasswordLength }),
    displayName: Type.Optional(displayName),
    groups: Type.Optional(Type.Array(groupName, { maxItems: 100 })),
  },
  closed,
);

export const userPatch = Type.Object(
  {
    disabled: Type.Optional(Type.Boolean()),
    displayName: Type.Optional(displayName),
    groups: Type.Optional(Type.Array(groupName, { maxItems: 100 })),
  },
  { ...closed, minProperties: 1 },
);

export const idParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, closed);

export const tokenView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    createdAt: isoTime,
    expiresAt: Type.Union([isoTime, Type.Null()]),
    lastUsedAt: Type.Union([isoTime, Type.Null()]),
    expired: Type.Boolean(),
  },
  closed,
);

export const tokenList = Type.Object({ items: Type.Array(tokenView) }, closed);

export const tokenCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    expiresInDays: Type.Integer({ minimum: 1, maximum: maxTokenLifetimeDays }),
  },
  closed,
);

export const tokenCreated = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    token: Type.String({ description: 'Shown only in this answer.' }),
    createdAt: isoTime,
    expiresAt: isoTime,
  },
  closed,
);
