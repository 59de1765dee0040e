// Shapes of the audit routes.
import { Type } from 'typebox';

const result = Type.Enum(['success', 'failure', 'denied']);

export const maxLimit = 500;

export const auditQuery = Type.Object({
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  cluster: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
  namespace: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
  result: Type.Optional(result),
  since: Type.Optional(
    Type.String({ description: 'inclusive; ISO 8601 or milliseconds since the epoch' }),
  ),
  until: Type.Optional(
    Type.String({ description: 'exclusive; ISO 8601 or milliseconds since the epoch' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxLimit, default: 100 })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
});

const nullableString = Type.Union([Type.String(), Type.Null()]);

export const auditItem = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  action: Type.String(),
  cluster: nullableString,
  namespace: nullableString,
  kind: nullableString,
  name: nullableString,
  verb: nullableString,
  result,
  detail: Type.Unknown(),
  ip: nullableString,
});

export const auditPage = Type.Object({
  items: Type.Array(auditItem),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
