import { describe, expect, inject, it } from 'vitest';
import { kubectlFor } from '../kubectl.ts';
import { useNamespace } from './namespace.ts';

const ns = useNamespace('shared-setup');

describe('global setup and useNamespace', () => {
  it('hands out a reachable cluster and a namespace of this file', async () => {
    expect(ns.name).toMatch(/^shared-setup-[0-9a-f]{6}$/);
    const phase = await ns.kubectl(['get', 'namespace', ns.name, '-o', 'jsonpath={.status.phase}']);
    expect(phase).toBe('Active');
  });

  it('provides the restricted kubeconfig too', async () => {
    const viewer = kubectlFor(inject('binDir'), inject('viewerKubeconfig'));
    await expect(viewer(['get', 'pods', '-n', ns.name])).rejects.toThrow(/forbidden/);
  });
});
