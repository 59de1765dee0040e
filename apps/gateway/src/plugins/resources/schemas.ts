// Shapes of the resource routes beyond the contract's: route parameters and the checks on them.
import { Type } from 'typebox';

/** A cluster id as it appears in a path (the clusters plugin answers 404 for one that is no id). */
const cluster = Type.String({ minLength: 1, maxLength: 128 });

/** Object names: DNS subdomains, plus the colons some kinds' names carry (RBAC's `system:…`). */
export const objectName = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: '^[a-zA-Z0-9]([-a-zA-Z0-9.:]*[a-zA-Z0-9])?$',
});

export const collectionParams = Type.Object({ cluster });
export const objectParams = Type.Object({ cluster, name: objectName });

/** Namespaces are DNS labels. */
export const namespacePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
