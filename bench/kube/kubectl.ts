import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The kubectl built with the test cluster (the runner passes its folder). */
export function kubectlPath(): string {
  const dir = process.env.BINNACLE_BENCH_BIN ?? '';
  const path = join(dir, 'kubectl');
  if (!existsSync(path))
    throw new Error('BINNACLE_BENCH_BIN must name the folder of the test cluster binaries');
  return path;
}
