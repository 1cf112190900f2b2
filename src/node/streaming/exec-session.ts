// Runs one exec (or attach) to completion over whichever channels carry it, and always
// ends with a status, so that kubectl gets the command's exit code or a clear error.

import type { ExecIO } from '../runtime/types.js';
import type { ExecChannels } from './exec-channels.js';
import { internalErrorStatus, statusFromExit, type ExecStatus } from './exec-status.js';

export type ContainerRunner = (io: ExecIO) => Promise<number>;

export async function runExecSession(channels: ExecChannels, tty: boolean, argv: string[], run: ContainerRunner): Promise<ExecStatus> {
  let status: ExecStatus;
  try {
    const code = await run({
      stdin: channels.stdin,
      stdout: channels.stdout,
      stderr: channels.stderr,
      tty,
      onResize: (l) => channels.onResize(l),
    });
    status = statusFromExit(code, argv);
  } catch (e) {
    status = internalErrorStatus(`error executing command in container: ${(e as Error).message}`);
  }
  // Input nobody reads any more must not keep the socket's data flowing into a buffer.
  channels.stdin?.resume();
  await channels.finish(status);
  return status;
}
