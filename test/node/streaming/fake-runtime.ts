// A stand-in for the runtime seam in streaming tests: exec runs a real local child
// process (no namespaces), dial connects to a local TCP server on 127.0.0.1 chosen per
// container port, logs are CRI files the test writes. Resize events are recorded.

import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { ContainerState, ExecIO, Runtime } from '../../../src/node/runtime/types.js';
import { criLine } from '../../../src/node/streaming/cri-log.js';
import type { ContainerResolver, ResolvedContainer } from '../../../src/node/streaming/types.js';

export interface FakeContainer {
  namespace: string;
  pod: string;
  name: string;
  sandboxId: string;
  attempt?: number;
  previousAttempt?: number;
  running: boolean;
  waitingReason?: string;
}

export class FakeRuntime implements Pick<Runtime, 'exec' | 'dial' | 'logPath' | 'containerState'> {
  readonly containers: FakeContainer[] = [];
  /** container port → local port of a test server standing in for the pod. */
  readonly ports = new Map<number, number>();
  readonly resizes: { width: number; height: number }[] = [];
  readonly execs: string[][] = [];

  constructor(readonly logDir: string) {}

  add(c: FakeContainer): FakeContainer {
    this.containers.push(c);
    return c;
  }

  find(sandboxId: string, name: string): FakeContainer | undefined {
    return this.containers.find((c) => c.sandboxId === sandboxId && c.name === name);
  }

  readonly resolve: ContainerResolver = (ns, pod, container): ResolvedContainer | undefined => {
    const c = this.containers.find((x) => x.namespace === ns && x.pod === pod && (container === undefined || x.name === container));
    if (!c) return undefined;
    return { sandboxId: c.sandboxId, containerName: container === undefined ? '' : c.name, podUid: `uid-${pod}`, attempt: c.attempt, previousAttempt: c.previousAttempt, waitingReason: c.waitingReason };
  };

  containerState(sandboxId: string, name: string): ContainerState | undefined {
    const c = this.find(sandboxId, name);
    if (!c || c.attempt === undefined) return undefined;
    const startedAt = new Date(0);
    return c.running
      ? { state: 'running', containerId: `${sandboxId}-${name}`, startedAt }
      : { state: 'exited', containerId: `${sandboxId}-${name}`, startedAt, finishedAt: new Date(), exitCode: 0, reason: 'Completed' };
  }

  logPath(sandboxId: string, name: string, attempt: number): string {
    return join(this.logDir, sandboxId, name, `${attempt}.log`);
  }

  /** Appends CRI lines for an attempt (creating its file). */
  writeLog(c: FakeContainer, attempt: number, lines: { stream?: 'stdout' | 'stderr'; text: string; at?: Date; partial?: boolean }[]): void {
    const path = this.logPath(c.sandboxId, c.name, attempt);
    mkdirSync(join(path, '..'), { recursive: true });
    appendFileSync(path, lines.map((l) => criLine(l.at ?? new Date(), l.stream ?? 'stdout', l.text, l.partial)).join(''));
  }

  emptyLog(c: FakeContainer, attempt: number): void {
    const path = this.logPath(c.sandboxId, c.name, attempt);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '');
  }

  exec(_sandboxId: string, _name: string, argv: string[], io: ExecIO): Promise<number> {
    this.execs.push(argv);
    io.onResize?.((s) => this.resizes.push(s));
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
      child.on('error', reject);
      child.stdin.on('error', () => {});
      if (io.stdin) io.stdin.pipe(child.stdin);
      else child.stdin.end();
      if (io.stdout) child.stdout.pipe(io.stdout, { end: false });
      else child.stdout.resume();
      const errSink = io.tty ? io.stdout : io.stderr;
      if (errSink) child.stderr.pipe(errSink, { end: false });
      else child.stderr.resume();
      // 'close' comes after both output pipes have delivered their last bytes.
      child.on('close', (code, signal) => {
        io.stdin?.unpipe(child.stdin);
        resolve(code ?? (signal ? 128 + 9 : 1));
      });
    });
  }

  dial(_sandboxId: string, port: number): Promise<Duplex> {
    const local = this.ports.get(port);
    if (local === undefined) return Promise.reject(new Error(`dial tcp 127.0.0.1:${port}: connect: connection refused`));
    return new Promise((resolve, reject) => {
      const s: Socket = connect({ host: '127.0.0.1', port: local }, () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    });
  }
}
