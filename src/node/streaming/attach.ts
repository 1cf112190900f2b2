// `kubectl attach`: the process runtime writes container output to log files through a
// shim, never to pipes the agent holds, so attach streams what the container writes from
// now on (stdout and stderr apart) until the attempt stops. Input cannot be delivered.

import type { ExecIO } from '../runtime/types.js';
import { readLog } from './log-reader.js';
import type { ResolvedContainer, StreamingServerOptions } from './types.js';

export function attachRunner(
  r: ResolvedContainer,
  deps: Pick<StreamingServerOptions, 'runtime' | 'resolve' | 'logPollMs'>,
  target: { namespace: string; pod: string; container: string },
): (io: ExecIO) => Promise<number> {
  return async (io) => {
    const attempt = r.attempt ?? 0;
    const isFinished = () => {
      const now = deps.resolve(target.namespace, target.pod, target.container);
      if (!now || now.attempt !== attempt) return true;
      return deps.runtime.containerState(r.sandboxId, r.containerName)?.state !== 'running';
    };
    // The channel writers queue behind the socket themselves; a full buffer only delays.
    const write = async (w: NodeJS.WritableStream | undefined, chunk: Buffer) => {
      w?.write(chunk);
    };
    await readLog(
      deps.runtime.logPath(r.sandboxId, r.containerName, attempt),
      { tailLines: 0, timestamps: false, follow: true, isFinished, pollMs: deps.logPollMs },
      (chunk, stream) => write(stream === 'stderr' && !io.tty ? io.stderr : io.stdout, chunk),
    );
    return 0;
  };
}
