// Shapes of the rbac routes. The schemas check the JSON shape; validate.ts checks what the names in
// a rule mean and says which field is wrong.
import { Type } from 'typebox';
import { verbs } from './policy.js';

const strings = (description: string) =>
  Type.Array(Type.String({ maxLength: 253 }), { minItems: 1, maxItems: 100, description });

export const rule = Type.Object(
  {
    clusters: strings('cluster ids; "*" every cluster; "" the gateway itself'),
    namespaces: strings('namespaces; "*" all, cluster scope included; "" cluster scope only'),
    resources: strings('"pods", "apps/deployments", "apps/*", "*/*", "*", or a gateway resource'),
    verbs: strings(`${verbs.join(', ')}, or "*"`),
    effect: Type.Enum(['allow', 'deny']),
  },
  { additionalProperties: false },
);

export const roleInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 63 }),
    rules: Type.Array(rule, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);

export const role = Type.Object({
  id: Type.String(),
  name: Type.String(),
  builtin: Type.Boolean(),
  rules: Type.Array(rule),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const idParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

const subjectKind = Type.Enum(['user', 'group']);

export const bindingInput = Type.Object(
  {
    roleId: Type.String({ minLength: 1, maxLength: 100 }),
    subjectKind,
    subject: Type.String({ minLength: 1, maxLength: 253, pattern: '^\\S(.*\\S)?$' }),
  },
  { additionalProperties: false },
);

export const bindingQuery = Type.Object({
  roleId: Type.Optional(Type.String({ minLength: 1 })),
  subjectKind: Type.Optional(subjectKind),
  subject: Type.Optional(Type.String({ minLength: 1 })),
});

export const binding = Type.Object({
  id: Type.String(),
  roleId: Type.String(),
  roleName: Type.String(),
  subjectKind,
  subject: Type.String(),
  createdAt: Type.Integer(),
});

export const grantedRule = Type.Object({ ...rule.properties, role: Type.String() });

export const accessQuery = Type.Object({
  cluster: Type.Optional(Type.String({ maxLength: 253 })),
  namespace: Type.Optional(Type.String({ maxLength: 63 })),
  resources: Type.Optional(
    Type.String({ maxLength: 4000, description: 'comma-separated; a default set when absent' }),
  ),
});

export const accessAnswer = Type.Object({
  cluster: Type.String(),
  namespace: Type.String(),
  rules: Type.Array(grantedRule),
  can: Type.Record(Type.String(), Type.Array(Type.String())),
});

export const reviewInput = Type.Object(
  {
    cluster: Type.Optional(Type.String({ maxLength: 253 })),
    namespace: Type.Optional(Type.String({ maxLength: 63 })),
    resource: Type.String({ minLength: 1, maxLength: 253 }),
    verb: Type.Enum([...verbs]),
  },
  { additionalProperties: false },
);

export const reviewAnswer = Type.Object({ allowed: Type.Boolean(), reason: Type.String() });
