// Parses and checks one protocol message against its schema; undefined for anything else.
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';

export function decodeMessage<S extends TSchema>(schema: S, text: string): Static<S> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return Value.Check(schema, parsed) ? parsed : undefined;
}
