// The folder both servers take the built apps from: host/ and k8s/ side by side (nginx/README.md).
// Copied, not linked: a rebuild during the run must not pull chunks from under the open pages.
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hostDist, k8sDist } from './paths.ts';

export async function webDir(dir: string): Promise<string> {
  const web = join(dir, 'web');
  await mkdir(web, { recursive: true });
  await cp(hostDist, join(web, 'host'), { recursive: true });
  await cp(k8sDist, join(web, 'k8s'), { recursive: true });
  return web;
}
