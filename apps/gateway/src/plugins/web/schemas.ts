// The static routes take any path below their prefix; they serve only files listed at start.
import { Type } from 'typebox';

export const fileParams = Type.Object({ '*': Type.String({ maxLength: 2048 }) });
