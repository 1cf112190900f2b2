// `exec` into a running container: `nsenter -t <container pid> -a -r -w` enters all its
// namespaces, its root and its cwd; `setpriv` cuts capabilities to the container's set (an
// exec'd process must not be able to unmount what hides ordinal's data dir). Without a tty
// the process's stdio are plain pipes (binary-safe, for `kubectl cp`'s tar); with a tty a
// tiny Python helper inside the container allocates a pty from the pod's own devpts and
// relays it, taking window sizes on fd 3.

import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import type { ExecIO } from '../types.js';
import { setprivArgs } from './capabilities.js';
import { CONTAINER_PATH, type HostTools } from './host-tools.js';

const PTY_HELPER = String.raw`
import errno, fcntl, os, pty, select, struct, sys, termios
argv = sys.argv[1:]
pid, master = pty.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    except OSError as e:
        os.write(2, ('exec %s: %s\r\n' % (argv[0], e.strerror)).encode())
        os._exit(127 if e.errno == errno.ENOENT else 126)
def write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]
fds = {0: 'in', master: 'pty'}
try:
    os.fstat(3)
    fds[3] = 'ctl'
except OSError:
    pass
ctl = b''
while master in fds:
    for fd in select.select(list(fds), [], [])[0]:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b''
        kind = fds.get(fd)
        if not data:
            fds.pop(fd, None)
        elif kind == 'pty':
            write_all(1, data)
        elif kind == 'in':
            write_all(master, data)
        elif kind == 'ctl':
            ctl += data
            while b'\n' in ctl:
                line, ctl = ctl.split(b'\n', 1)
                w, h = [int(x) for x in line.split()]
                fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack('HHHH', h, w, 0, 0))
code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
sys.exit(128 - code if code < 0 else code)
`;

export interface ExecTarget {
  /** The container's main process on the host. */
  hostPid: number;
  /** The container's environment: exec'd processes see it, as in a container. */
  env: [string, string][];
}

export function execInContainer(tools: HostTools, target: ExecTarget, argv: string[], io: ExecIO): Promise<number> {
  if (argv.length === 0) return Promise.reject(new Error('exec needs a command'));
  const env: Record<string, string> = {};
  for (const [k, v] of target.env) env[k] = v;
  env.PATH ??= CONTAINER_PATH;
  if (io.tty) env.TERM ??= 'xterm';
  const inner = io.tty ? [tools.python, '-I', '-c', PTY_HELPER, ...argv] : argv;
  const args = ['-t', String(target.hostPid), '-a', '-r', '-w', '--', tools.setpriv, ...setprivArgs(), '--', ...inner];
  const child = spawn(tools.nsenter, args, { env, stdio: io.tty ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'] });

  child.stdin?.on('error', () => undefined);
  if (io.stdin) io.stdin.pipe(child.stdin!);
  else child.stdin?.end();
  forward(child.stdout!, io.stdout);
  forward(child.stderr!, io.stderr);
  if (io.tty) {
    const ctl = child.stdio[3] as Writable;
    ctl.on('error', () => undefined);
    io.onResize?.((size) => {
      if (!ctl.destroyed) ctl.write(`${Math.max(1, size.width | 0)} ${Math.max(1, size.height | 0)}\n`);
    });
  }

  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (io.stdin) io.stdin.unpipe(child.stdin!);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

function forward(from: NodeJS.ReadableStream, to: Writable | undefined): void {
  if (to) from.pipe(to, { end: false });
  else from.resume();
}
