// A vitest global setup: one real cluster per test run, or the one TEST_KUBECONFIG names.
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildBinaries } from '../build.ts';
import { down, up } from '../cluster.ts';
import './context.ts';

export default async function setup(
  project: TestProject,
): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.TEST_KUBECONFIG;
  if (given) {
    project.provide('kubeconfig', given);
    project.provide(
      'viewerKubeconfig',
      process.env.TEST_KUBECONFIG_RESTRICTED ?? join(dirname(given), 'viewer.kubeconfig'),
    );
    project.provide('binDir', await buildBinaries());
    return undefined;
  }
  const name = `vitest-${process.pid}`;
  const state = await up({ name });
  project.provide('kubeconfig', state.kubeconfig);
  project.provide('viewerKubeconfig', state.viewerKubeconfig);
  project.provide('binDir', state.binDir);
  return async () => {
    await down({ name });
  };
}
