// `ordinal` command line: the composition root. Each subcommand lives in its own file.

import { runUp } from './up.js';
import { runControllers } from './controllers.js';
import { runCleanup } from './cleanup.js';

const USAGE = `Usage: ordinal <command> [options]

Commands:
  up            Run the control plane (API server and controllers) on this machine.
  controllers   Run the StatefulSet controller against an API server (--kubeconfig FILE).
  cleanup       Remove everything an instance left behind (--data-dir DIR).

Run 'ordinal up --help' for the options of a command.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
      return runUp(rest);
    case 'controllers':
      return runControllers(rest);
    case 'cleanup':
      return runCleanup(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`ordinal: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ordinal: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
