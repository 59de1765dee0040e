import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { kwokConfig } from './kwok-config.ts';
import { fakeNode, scaleDeployment } from './objects.ts';
import { stateDir } from './paths.ts';
import { freePorts } from './ports.ts';
import { namespaceName } from './vitest/namespace.ts';

describe('kwokConfig', () => {
  const docs = parseAllDocuments(
    kwokConfig({ logsFile: '/tmp/x.log', execDir: '/tmp/exec', forwardPort: 1234 }),
  ).map((d) => d.toJS() as { kind: string; metadata: { name: string } });

  it('declares the lifecycle stages, logs, exec, usage and resource metrics', () => {
    expect(docs.map((d) => d.kind)).toEqual([
      'Stage',
      'Stage',
      'Stage',
      'Stage',
      'Stage',
      'ClusterLogs',
      'ClusterExec',
      'ClusterPortForward',
      'ClusterResourceUsage',
      'Metric',
    ]);
    expect(docs.filter((d) => d.kind === 'Stage').map((d) => d.metadata.name)).toEqual([
      'node-initialize',
      'node-heartbeat',
      'pod-ready',
      'pod-complete',
      'pod-delete',
    ]);
  });

  it('points logs and exec at the given paths', () => {
    const text = JSON.stringify(docs);
    expect(text).toContain('"logsFile":"/tmp/x.log"');
    expect(text).toContain('"workDir":"/tmp/exec"');
  });
});

describe('objects', () => {
  it('marks a fake node for kwok and tells metrics-server where its metrics are', () => {
    const node = fakeNode('n1', 'demo') as { metadata: { annotations: Record<string, string> } };
    expect(node.metadata.annotations['kwok.x-k8s.io/node']).toBe('fake');
    expect(node.metadata.annotations['metrics.k8s.io/resource-metrics-path']).toBe(
      '/metrics/nodes/n1/metrics/resource',
    );
  });

  it('sizes the scale deployment as asked', () => {
    const d = scaleDeployment({ namespace: 'scale', replicas: 42 }) as {
      spec: { replicas: number };
    };
    expect(d.spec.replicas).toBe(42);
  });
});

describe('helpers', () => {
  it.each([['../etc'], ['UPPER'], [''], ['a b']])('refuses the cluster name %j', (name) => {
    expect(() => stateDir(name)).toThrow(/lower-case/);
  });

  it('makes namespace names that Kubernetes accepts', () => {
    for (const prefix of ['My Test_File.ts', '---', 'x'.repeat(80)]) {
      expect(namespaceName(prefix)).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    }
  });

  it('finds distinct free ports', async () => {
    const ports = await freePorts(5);
    expect(new Set(ports).size).toBe(5);
  });
});
