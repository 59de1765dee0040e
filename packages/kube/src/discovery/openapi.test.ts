import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KubeClient } from '../client.ts';
import { openApiDocument, openApiPaths, schemaFor, type OpenApiDocument } from './openapi.ts';
import { testClient } from '../testing.ts';

test('schemaFor inlines references, keeps descriptions next to them and stops at recursion', () => {
  const doc: OpenApiDocument = {
    components: {
      schemas: {
        'example.v1.Widget': {
          type: 'object',
          'x-kubernetes-group-version-kind': [
            { group: 'example.com', version: 'v1', kind: 'Widget' },
          ],
          properties: {
            spec: {
              description: 'the spec',
              allOf: [{ $ref: '#/components/schemas/example.v1.Spec' }],
            },
          },
        },
        'example.v1.Spec': {
          type: 'object',
          properties: {
            size: { type: 'integer' },
            // A property may be named like a JSON-schema keyword.
            $ref: { type: 'string' },
            child: { $ref: '#/components/schemas/example.v1.Spec' },
            parts: { type: 'array', items: { $ref: '#/components/schemas/example.v1.Part' } },
          },
        },
        'example.v1.Part': { type: 'string' },
      },
    },
  };
  expect(schemaFor(doc, { group: 'example.com', version: 'v1', kind: 'Widget' })).toEqual({
    type: 'object',
    'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'Widget' }],
    properties: {
      spec: {
        type: 'object',
        description: 'the spec',
        properties: {
          size: { type: 'integer' },
          $ref: { type: 'string' },
          child: { $ref: '#/components/schemas/example.v1.Spec' },
          parts: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  });
  expect(schemaFor(doc, { group: 'example.com', version: 'v2', kind: 'Widget' })).toBeUndefined();
});

describe('on the test cluster', () => {
  let client: KubeClient;

  beforeAll(() => {
    client = testClient();
  });

  afterAll(async () => {
    await client.close();
  });

  test('the index names a hashed document per group version', async () => {
    const { paths } = await openApiPaths(client);
    expect(paths['apis/apps/v1']?.serverRelativeURL).toMatch(
      /^\/openapi\/v3\/apis\/apps\/v1\?hash=/,
    );
    expect(paths['api/v1']).toBeDefined();
    expect(paths['apis/apps.kruise.io/v1beta1']).toBeDefined();
  });

  test('apps/v1 has a Deployment schema with spec.properties.replicas', async () => {
    const doc = await openApiDocument(client, 'apps/v1');
    const deployment = schemaFor(doc, { group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(deployment?.properties?.spec?.properties?.replicas).toMatchObject({ type: 'integer' });
    // The pod template is inlined all the way down to a container's image.
    const template = deployment?.properties?.spec?.properties?.template;
    const containers = template?.properties?.spec?.properties?.containers;
    expect(containers?.items?.properties?.image).toMatchObject({ type: 'string' });
  });

  test('a second fetch of an unchanged document comes from the cache', async () => {
    const first = await openApiDocument(client, 'apps/v1');
    expect(await openApiDocument(client, 'apps/v1')).toBe(first);
  });

  test('core and CRD documents', async () => {
    const core = await openApiDocument(client, 'v1');
    expect(
      schemaFor(core, { group: '', version: 'v1', kind: 'Pod' })?.properties?.spec,
    ).toBeDefined();
    const kruise = await openApiDocument(client, 'apps.kruise.io/v1beta1');
    const sts = schemaFor(kruise, {
      group: 'apps.kruise.io',
      version: 'v1beta1',
      kind: 'StatefulSet',
    });
    // The test cluster's CRDs keep spec open (x-kubernetes-preserve-unknown-fields); metadata is
    // the shared ObjectMeta, inlined.
    expect(sts?.properties?.spec).toMatchObject({ 'x-kubernetes-preserve-unknown-fields': true });
    expect(sts?.properties?.metadata?.properties?.name).toMatchObject({ type: 'string' });
  });

  test('an unknown group version is a NotFound KubeError', async () => {
    await expect(openApiDocument(client, 'nope.example.com/v1')).rejects.toMatchObject({
      code: 404,
      reason: 'NotFound',
    });
  });
});
