// What every HTTP answer of the gateway shares: the one error shape, and the bodies of answers
// that carry none (204 No Content, a 302 redirect).
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/** Every error the gateway answers: a code to branch on and a message written for people. */
export const ErrorBodySchema = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBodySchema>;

export const NoContentSchema = Type.Null({ description: 'No content' });

/** A redirect: the target is in the Location header, the body is empty. */
export const RedirectSchema = Type.Null({ description: 'A redirect to the Location header' });

/** Whether a parsed body is the gateway's error shape (and not, say, a proxy's page). */
export function isErrorBody(value: unknown): value is ErrorBody {
  return Value.Check(ErrorBodySchema, value);
}
