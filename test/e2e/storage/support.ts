// Helpers shared by the storage end-to-end tests: fixture paths, kubectl wrappers that fail
// loudly, a column parser for `kubectl get` tables, and a snapshot of a directory tree.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, type TestServer } from '../../support/server.js';
import type { KubectlOptions } from '../../support/kubectl.js';
import { waitFor } from '../../support/wait.js';

/** The tutorial's manifests, copied verbatim as YAML files (the tests run from dist/). */
export function fixture(name: string): string {
  return path.join(repoRoot(), 'test', 'e2e', 'storage', 'fixtures', name);
}

/** Runs kubectl and returns stdout; a non-zero exit fails with both streams. */
export async function k(server: TestServer, args: string[], opts?: KubectlOptions): Promise<string> {
  const r = await server.kubectl(args, opts);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** `kubectl get … -o json`. */
export async function kjson(server: TestServer, args: string[]): Promise<any> {
  return JSON.parse(await k(server, ['get', ...args, '-o', 'json']));
}

/** The object, or undefined on NotFound (any other failure throws). */
export async function kget(server: TestServer, kind: string, name: string): Promise<any | undefined> {
  const r = await server.kubectl(['get', kind, name, '-o', 'json']);
  if (r.code === 0) return JSON.parse(r.stdout);
  if (/\(NotFound\)/.test(r.stderr)) return undefined;
  throw new Error(`kubectl get ${kind} ${name}: ${r.stderr}`);
}

export interface Table {
  header: string[];
  rows: Record<string, string>[];
}

/**
 * Splits the text of one `kubectl get` table into rows keyed by column heading. kubectl pads
 * every column to its widest cell, so the start of each heading is the start of its cells.
 */
export function parseTable(text: string): Table {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  assert.ok(lines.length > 0, 'empty table');
  const head = lines[0]!;
  const starts: { name: string; at: number }[] = [];
  const re = /(\S+(?: \S+)*)/g; // headings may hold one space ("ACCESS MODES"); columns are 3 apart
  for (let m = re.exec(head); m; m = re.exec(head)) starts.push({ name: m[1]!, at: m.index });
  const rows = lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    starts.forEach((s, i) => {
      const end = i + 1 < starts.length ? starts[i + 1]!.at : line.length;
      row[s.name] = line.slice(s.at, end).trim();
    });
    return row;
  });
  return { header: starts.map((s) => s.name), rows };
}

/** Splits the output of `kubectl get a,b` into its tables (they are separated by a blank line). */
export function parseTables(text: string): Table[] {
  return text
    .split(/\n\s*\n/)
    .filter((t) => t.trim() !== '')
    .map(parseTable);
}

/** Every file and directory below `root` (relative paths), with file contents: a disk fingerprint. */
export function snapshotTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full);
      if (entry.isDirectory()) {
        out[`${rel}/`] = '';
        walk(full);
      } else if (entry.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(full)}`;
      else out[rel] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return out;
}

/** Holds for `ms`, failing as soon as `bad()` names a problem: the "stays so" checks. */
export async function holdsFor(ms: number, bad: () => Promise<string | undefined> | string | undefined, intervalMs = 100): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const why = await bad();
    if (why) throw new Error(why);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Waits until the pod exists, is Running and Ready, and (when given) is not the one with `oldUid`. */
export async function waitPodReady(server: TestServer, name: string, opts: { oldUid?: string; timeoutMs?: number } = {}): Promise<any> {
  return waitFor(
    async () => {
      const pod = await kget(server, 'pod', name);
      if (!pod || pod.metadata.deletionTimestamp || (opts.oldUid && pod.metadata.uid === opts.oldUid)) return undefined;
      const ready = (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
      return pod.status?.phase === 'Running' && ready ? pod : undefined;
    },
    { timeoutMs: opts.timeoutMs ?? 30_000, intervalMs: 150, what: `pod ${name} Running and Ready` },
  );
}

export async function waitGone(server: TestServer, kind: string, name: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => (await kget(server, kind, name)) === undefined, { timeoutMs, intervalMs: 150, what: `${kind} ${name} gone` });
}
