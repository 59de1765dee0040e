#!/usr/bin/env -S npx tsx
// pnpm cluster up|down|status|seed|scale
import { parseArgs } from 'node:util';
import { down, isReady, readState, up } from './cluster.ts';
import { scale } from './scale.ts';
import { seed } from './seed.ts';

const usage = `usage: pnpm cluster <command> [--name NAME]
  up [--no-seed] [--nodes M]   start a local cluster (builds the binaries on first use)
  down                         stop it and remove its temporary files
  status                       print its state
  seed                         create the demo namespace, CRDs and samples
  scale --pods N --nodes M     create N pods on M fake nodes (namespace "scale")`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string', default: 'default' },
      'no-seed': { type: 'boolean', default: false },
      nodes: { type: 'string' },
      pods: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command] = positionals;
  const name = values.name;
  const count = (flag: 'nodes' | 'pods', fallback?: number): number => {
    const raw = values[flag];
    if (raw === undefined && fallback !== undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a positive whole number`);
    return n;
  };
  const running = async () => {
    const state = await readState(name);
    if (!state) throw new Error(`no cluster "${name}" is running; start one with: pnpm cluster up`);
    return state;
  };

  switch (command) {
    case 'up': {
      const state = await up({ name, seed: !values['no-seed'], nodes: count('nodes', 2) });
      console.log(state.kubeconfig);
      return 0;
    }
    case 'down':
      console.error(
        (await down({ name }))
          ? `testcluster: "${name}" stopped`
          : `testcluster: "${name}" was not running`,
      );
      return 0;
    case 'status': {
      const state = await readState(name);
      if (!state) {
        console.log(`${name}: not running`);
        return 1;
      }
      const ready = await isReady(state);
      console.log(
        JSON.stringify(
          {
            ready,
            server: state.server,
            kubeconfig: state.kubeconfig,
            viewerKubeconfig: state.viewerKubeconfig,
            processes: state.processes,
          },
          null,
          2,
        ),
      );
      return ready ? 0 : 1;
    }
    case 'seed':
      await seed(await running());
      return 0;
    case 'scale': {
      const result = await scale(await running(), { pods: count('pods'), nodes: count('nodes') });
      console.log(JSON.stringify(result));
      return 0;
    }
    default:
      console.error(usage);
      return values.help ? 0 : 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`testcluster: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
