// Shapes of the live route: the upgrade request's query (its messages are in @binnacle/contract).
import { Type } from 'typebox';

export const upgradeQuery = Type.Object({
  /** The single-use ticket of POST /auth/ticket (browsers cannot set headers on a WebSocket). */
  ticket: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
});
