// Request and response schemas of the SSO routes.
import Type from 'typebox';

const closed = { additionalProperties: false } as const;

export const authMethods = Type.Object(
  {
    local: Type.Literal(true),
    oidc: Type.Object({ enabled: Type.Boolean(), name: Type.Optional(Type.String()) }, closed),
    host: Type.Object({ enabled: Type.Boolean() }, closed),
  },
  closed,
);

export const loginQuery = Type.Object({
  returnTo: Type.Optional(Type.String({ maxLength: 2048 })),
});

// Open on purpose: the provider may add parameters (iss, session_state) that the check reads.
export const callbackQuery = Type.Object({
  state: Type.Optional(Type.String()),
  code: Type.Optional(Type.String()),
  error: Type.Optional(Type.String()),
});

export const hostBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 16_384 }) },
  closed,
);
