// `up`, `down` and `status` of a real local control plane.
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildBinaries } from './build.ts';
import * as components from './components.ts';
import type { ComponentSpec, Layout, Ports } from './components.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';
import { kwokConfig } from './kwok-config.ts';
import { fakeNode, metricsApi, toList } from './objects.ts';
import { stateDir } from './paths.ts';
import { createPki, viewerUser } from './pki.ts';
import { freePorts } from './ports.ts';
import { isAlive, startProcess, stopProcess, tail, type Started } from './processes.ts';
import { seed } from './seed.ts';
import { probe, waitFor, type TlsClient } from './wait.ts';

export interface ClusterState {
  name: string;
  dir: string;
  binDir: string;
  server: string;
  /** Cluster-admin kubeconfig (client certificate in group system:masters). */
  kubeconfig: string;
  /** A user who may only view the demo namespace. */
  viewerKubeconfig: string;
  viewerUser: string;
  ports: Ports;
  processes: Started[];
  logsFile: string;
}

export interface UpOptions {
  name?: string;
  /** Create the demo namespace and the CRDs with samples (default true). */
  seed?: boolean;
  /** Fake nodes for the demo workloads (default 2). */
  nodes?: number;
  log?: (line: string) => void;
}

const stateFile = (dir: string): string => join(dir, 'state.json');

export async function readState(name = 'default'): Promise<ClusterState | undefined> {
  const file = stateFile(stateDir(name));
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as ClusterState;
}

export function adminTls(state: ClusterState): TlsClient {
  const pki = join(state.dir, 'pki');
  return {
    ca: join(pki, 'ca.crt'),
    client: { cert: join(pki, 'admin.crt'), key: join(pki, 'admin.key') },
  };
}

export async function isReady(state: ClusterState): Promise<boolean> {
  if (!state.processes.every((p) => isAlive(p.pid))) return false;
  return (await probe(`${state.server}/readyz`, adminTls(state))) === 200;
}

export function kubectl(state: ClusterState, options: { viewer?: boolean } = {}): Kubectl {
  return kubectlFor(state.binDir, options.viewer ? state.viewerKubeconfig : state.kubeconfig);
}

/** Starts the cluster, or returns the one already running under that name. */
export async function up(options: UpOptions = {}): Promise<ClusterState> {
  const name = options.name ?? 'default';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const existing = await readState(name);
  if (existing && (await isReady(existing))) {
    log(`testcluster: "${name}" is already running`);
    return existing;
  }
  if (existing) await down({ name });

  const binDir = await buildBinaries();
  const dir = stateDir(name);
  await mkdir(join(dir, 'logs'), { recursive: true, mode: 0o700 });
  const started: Started[] = [];
  try {
    return await start({
      name,
      dir,
      binDir,
      started,
      log,
      seed: options.seed ?? true,
      nodes: options.nodes ?? 2,
    });
  } catch (err) {
    for (const p of started.reverse()) await stopProcess(p.pid, 3_000);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

interface StartContext {
  name: string;
  dir: string;
  binDir: string;
  started: Started[];
  log: (line: string) => void;
  seed: boolean;
  nodes: number;
}

async function start(ctx: StartContext): Promise<ClusterState> {
  const t0 = Date.now();
  const { dir } = ctx;
  const pki = await createPki(join(dir, 'pki'));
  const [etcdClient, etcdPeer, apiserverPort, cm, sched, kwokPort, metrics, web] =
    await freePorts(8);
  const ports: Ports = {
    etcdClient: etcdClient ?? 0,
    etcdPeer: etcdPeer ?? 0,
    apiserver: apiserverPort ?? 0,
    controllerManager: cm ?? 0,
    scheduler: sched ?? 0,
    kwok: kwokPort ?? 0,
    metricsServer: metrics ?? 0,
    demoWeb: web ?? 0,
  };
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const layout: Layout = {
    dir,
    binDir: ctx.binDir,
    pki,
    ports,
    adminKubeconfig: join(dir, 'admin.kubeconfig'),
    controllerManagerKubeconfig: join(dir, 'controller-manager.kubeconfig'),
    schedulerConfig: join(dir, 'scheduler.json'),
    kwokConfig: join(dir, 'kwok.yaml'),
  };
  const state: ClusterState = {
    name: ctx.name,
    dir,
    binDir: ctx.binDir,
    server,
    kubeconfig: layout.adminKubeconfig,
    viewerKubeconfig: join(dir, 'viewer.kubeconfig'),
    viewerUser,
    ports,
    processes: ctx.started,
    logsFile: join(dir, 'containers.log'),
  };
  const contextName = `binnacle-${ctx.name}`;
  const kc = (path: string, user: string, client: typeof pki.admin) =>
    writeKubeconfig(path, { server, caFile: pki.ca.cert, user, client, contextName });
  await kc(layout.adminKubeconfig, 'binnacle-admin', pki.admin);
  await kc(state.viewerKubeconfig, viewerUser, pki.viewer);
  await kc(
    layout.controllerManagerKubeconfig,
    'system:kube-controller-manager',
    pki.controllerManager,
  );
  const schedulerKubeconfig = join(dir, 'scheduler.kubeconfig');
  await kc(schedulerKubeconfig, 'system:kube-scheduler', pki.scheduler);
  await writeFile(layout.schedulerConfig, components.schedulerConfig(schedulerKubeconfig));
  await writeFile(
    layout.kwokConfig,
    kwokConfig({
      logsFile: state.logsFile,
      execDir: join(dir, 'exec'),
      forwardPort: ports.demoWeb,
    }),
  );
  await mkdir(join(dir, 'exec'), { recursive: true });
  await writeFile(state.logsFile, initialLogLines(20));

  const launch = (spec: ComponentSpec): Started => {
    const p = startProcess({ ...spec, logDir: join(dir, 'logs') });
    ctx.started.push(p);
    return p;
  };
  const died = (p: Started) => () =>
    isAlive(p.pid) ? undefined : `${p.name} exited; last lines of ${p.log}:\n${tail(p.log)}`;

  const etcd = launch(components.etcd(layout));
  await waitFor(async () => (await probe(`http://127.0.0.1:${ports.etcdClient}/health`)) === 200, {
    what: 'etcd',
    timeoutMs: 30_000,
    failed: died(etcd),
  });
  const apiserver = launch(components.apiserver(layout));
  const tls = adminTls(state);
  await waitFor(async () => (await probe(`${server}/readyz`, tls)) === 200, {
    what: 'kube-apiserver',
    timeoutMs: 60_000,
    failed: died(apiserver),
  });
  ctx.log(`testcluster: API server ready at ${server} (${Date.now() - t0} ms)`);

  for (const spec of [
    components.controllerManager(layout),
    components.scheduler(layout),
    components.kwok(layout),
    components.metricsServer(layout),
  ]) {
    launch(spec);
  }
  launch(logWriter(state.logsFile));
  launch(demoWeb(ports.demoWeb));

  const k = kubectlFor(ctx.binDir, layout.adminKubeconfig);
  await waitFor(
    async () =>
      (await probe(`${server}/api/v1/namespaces/default/serviceaccounts/default`, tls)) === 200,
    {
      what: 'kube-controller-manager (default service account)',
      timeoutMs: 60_000,
      failed: () => ctx.started.map((p) => died(p)()).find(Boolean),
    },
  );
  await k(['apply', '--server-side', '-f', '-'], {
    input: toList(metricsApi(ports.metricsServer)),
  });
  await addNodes(k, { count: ctx.nodes, prefix: 'kwok-node', pool: 'demo' });
  await waitForNodes(k, { pool: 'demo', count: ctx.nodes });
  await writeFile(stateFile(dir), JSON.stringify(state, null, 2));
  if (ctx.seed) await seed(state);
  ctx.log(`testcluster: "${ctx.name}" ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return state;
}

export async function addNodes(
  k: Kubectl,
  options: { count: number; prefix: string; pool: string },
): Promise<void> {
  const nodes = Array.from({ length: options.count }, (_, i) =>
    fakeNode(`${options.prefix}-${i}`, options.pool),
  );
  await k(['apply', '--server-side', '-f', '-'], { input: toList(nodes), timeoutMs: 120_000 });
}

export async function waitForNodes(
  k: Kubectl,
  options: { pool: string; count: number },
): Promise<void> {
  await waitFor(
    async () => {
      const out = await k([
        'get',
        'nodes',
        '-l',
        `binnacle.dev/pool=${options.pool}`,
        '-o',
        'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
      ]);
      return out.split('\n').filter((s) => s === 'True').length >= options.count;
    },
    {
      what: `${options.count} fake nodes in pool ${options.pool}`,
      timeoutMs: 120_000,
      intervalMs: 500,
    },
  );
}

function criLine(message: string, at = new Date()): string {
  return `${at.toISOString()} stdout F ${message}\n`;
}

function initialLogLines(count: number): string {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) =>
    criLine(`binnacle demo log line ${i + 1}`, new Date(now - (count - i) * 1000)),
  ).join('');
}

/** Appends a CRI log line every second, so that `logs -f` has something to follow. */
function logWriter(file: string): ComponentSpec {
  const script =
    'i=0; while :; do i=$((i+1)); ' +
    'printf "%s stdout F binnacle demo follow line %d\\n" "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" "$i" >> "$0"; ' +
    'sleep 1; done';
  return { name: 'log-writer', command: 'sh', args: ['-c', script, file] };
}

/** A tiny HTTP app that answers for every fake pod's ports 80 and 8080 (kwok forwards there). */
function demoWeb(port: number): ComponentSpec {
  const script =
    "require('http').createServer((req, res) => res.end('hello from the binnacle demo app ' + req.url + '\\n'))" +
    `.listen(${port}, '127.0.0.1')`;
  return { name: 'demo-web', command: process.execPath, args: ['-e', script] };
}

/** Stops every process of the cluster and removes its temporary files. */
export async function down(options: { name?: string } = {}): Promise<boolean> {
  const name = options.name ?? 'default';
  const dir = stateDir(name);
  const state = await readState(name);
  if (state) {
    for (const p of [...state.processes].reverse()) await stopProcess(p.pid);
  }
  const had = state !== undefined || existsSync(dir);
  await rm(dir, { recursive: true, force: true });
  return had;
}

/**
 * Stops one component and starts it again with the same command line (for tests of clients that
 * must survive an API server restart). Resolves when the API server answers /readyz again.
 */
export async function restartComponent(
  state: ClusterState,
  options: { component: string; downtimeMs?: number },
): Promise<ClusterState> {
  const index = state.processes.findIndex((p) => p.name === options.component);
  const old = state.processes[index];
  if (!old) throw new Error(`no component "${options.component}" in cluster "${state.name}"`);
  await stopProcess(old.pid);
  if (options.downtimeMs) await new Promise((resolve) => setTimeout(resolve, options.downtimeMs));
  const fresh = startProcess({
    name: old.name,
    command: old.command,
    args: old.args,
    logDir: join(state.dir, 'logs'),
  });
  const next: ClusterState = {
    ...state,
    processes: state.processes.map((p, i) => (i === index ? fresh : p)),
  };
  await writeFile(stateFile(state.dir), JSON.stringify(next, null, 2));
  await waitFor(async () => (await probe(`${state.server}/readyz`, adminTls(state))) === 200, {
    what: 'the API server after a restart',
    timeoutMs: 60_000,
    failed: () => (isAlive(fresh.pid) ? undefined : `${fresh.name} exited:\n${tail(fresh.log)}`),
  });
  return next;
}

/**
 * Compacts etcd's history up to now, so that a watch from an older resourceVersion is answered
 * with 410 Gone (where the API server has no watch cache for the resource, e.g. PodTemplates).
 */
export async function compactEtcd(state: ClusterState): Promise<number> {
  const base = `http://127.0.0.1:${state.ports.etcdClient}/v3/kv`;
  const post = async (path: string, body: object): Promise<unknown> => {
    const res = await fetch(`${base}/${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`etcd ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  // etcd's JSON gateway takes keys in base64; any key answers with the current revision.
  const range = (await post('range', { key: Buffer.from('/').toString('base64') })) as {
    header: { revision: string };
  };
  const revision = Number(range.header.revision);
  await post('compaction', { revision: String(revision), physical: true });
  return revision;
}

/** The state of a cluster of ours, found from one of its kubeconfig paths. */
export async function stateOfKubeconfig(kubeconfig: string): Promise<ClusterState | undefined> {
  const file = join(dirname(kubeconfig), 'state.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, 'utf8')) as ClusterState;
}

export async function appendLog(state: ClusterState, message: string): Promise<void> {
  await appendFile(state.logsFile, criLine(message));
}
