// Facts about this machine that the Node object reports (what cadvisor and the CRI tell the
// kubelet): CPUs, memory, the data dir's file system size, OS image, kernel, machine and boot IDs.

import * as fs from 'node:fs';
import * as os from 'node:os';

export interface NodeFacts {
  cpus: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  osImage: string;
  kernelVersion: string;
  architecture: string;
  machineID: string;
  bootID: string;
  systemUUID: string;
}

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', ia32: '386' };

function readTrimmed(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function osImage(): string {
  const text = readTrimmed('/etc/os-release');
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
  return m?.[1] ?? `${os.type()} ${os.release()}`;
}

function storageBytes(dir: string): number {
  try {
    const st = fs.statfsSync(dir);
    return st.blocks * st.bsize;
  } catch {
    return 0;
  }
}

export function collectNodeFacts(dataDir: string): NodeFacts {
  return {
    cpus: os.cpus().length || 1,
    memoryBytes: os.totalmem(),
    ephemeralStorageBytes: storageBytes(dataDir),
    osImage: osImage(),
    kernelVersion: os.release(),
    architecture: ARCH[process.arch] ?? process.arch,
    machineID: readTrimmed('/etc/machine-id'),
    bootID: readTrimmed('/proc/sys/kernel/random/boot_id'),
    systemUUID: readTrimmed('/sys/class/dmi/id/product_uuid'),
  };
}
