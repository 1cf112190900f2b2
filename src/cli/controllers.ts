// `ordinal controllers --kubeconfig FILE`: the StatefulSet controller (with its revision
// history) out of process, over HTTPS, against any API server: a separate `ordinal up`
// or a real cluster. Garbage collection stays with that server's own controller manager.
// The kubeconfig is explicit on purpose: this command never reads ~/.kube/config or
// $KUBECONFIG, so it cannot act on a cluster its user did not name.

import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { clientFromKubeconfig } from '../client/http/index.js';
import { runControllerManager } from '../controllers/manager.js';

const HELP = `Usage: ordinal controllers --kubeconfig FILE [options]

Runs the StatefulSet controller and its ControllerRevision history against the API server
named by FILE, over HTTPS. Works against \`ordinal up --disable statefulset,history\` or a real
cluster whose kube-controller-manager runs with --controllers=*,-statefulset (so that the two
do not fight). Garbage collection is not run here: the server's controller manager does it.

Options:
  --kubeconfig FILE   the kubeconfig to use (required; ~/.kube/config and $KUBECONFIG are never read)
  --context NAME      a context of FILE other than its current-context
  --workers N         StatefulSets synced concurrently (default 5)
  -h, --help          show this help
`;

export class UsageError extends Error {}

export interface ControllersArgs {
  kubeconfig: string;
  context?: string;
  workers: number;
}

/** Parses the command line; throws UsageError for anything missing or malformed. */
export function parseControllersArgs(argv: string[]): ControllersArgs | 'help' {
  let values: { kubeconfig?: string; context?: string; workers?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  if (!values.kubeconfig) {
    throw new UsageError('--kubeconfig FILE is required (ordinal controllers never falls back to ~/.kube/config or $KUBECONFIG)');
  }
  const workers = values.workers === undefined ? 5 : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers ${values.workers}: must be a positive integer`);
  const kubeconfig = resolve(values.kubeconfig);
  if (!existsSync(kubeconfig)) throw new UsageError(`--kubeconfig ${values.kubeconfig}: no such file`);
  return { kubeconfig, context: values.context, workers };
}

export async function runControllers(argv: string[]): Promise<number> {
  let args: ControllersArgs | 'help';
  try {
    args = parseControllersArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`ordinal controllers: ${err.message}\n\n${HELP}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const client = clientFromKubeconfig(args.kubeconfig, { context: args.context, userAgent: 'ordinal-controllers' });
  const manager = runControllerManager({ client, only: new Set(['statefulset', 'history']), disabled: new Set(), workers: args.workers });

  let stopping = false;
  const stopped = new Promise<void>((done) => {
    const stop = () => {
      if (stopping) return;
      stopping = true;
      done();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await Promise.race([manager.ready, stopped]);
  if (!stopping) {
    process.stdout.write(
      `ordinal controllers ready: ${manager.running.join(', ')} against ${client.connection.server} (workers ${args.workers})\n`,
    );
  }
  await stopped;
  await manager.stop();
  client.close();
  return 0;
}
