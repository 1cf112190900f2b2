// Assertions whose failure messages show the whole command result, so a
// report can say exactly what kubectl printed.
import assert from 'node:assert/strict';
import type { KubectlResult } from './kubectl.js';
import type { ApiResponse } from './api-client.js';

function show(r: KubectlResult): string {
  return `exit=${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

export function expectOk(r: KubectlResult, what: string): string {
  assert.equal(r.code, 0, `${what}: expected exit 0\n${show(r)}`);
  return r.stdout;
}

export function expectFail(r: KubectlResult, what: string): string {
  assert.notEqual(r.code, 0, `${what}: expected a failure\n${show(r)}`);
  return r.stderr;
}

export function expectMatch(text: string, re: RegExp, what: string): RegExpExecArray {
  const m = re.exec(text);
  assert.ok(m, `${what}: expected ${re} in:\n${text}`);
  return m;
}

export function expectLine(text: string, line: string, what: string): void {
  const lines = text.split('\n').map((l) => l.trimEnd());
  assert.ok(lines.includes(line), `${what}: expected the line\n  ${line}\nin:\n${text}`);
}

export function expectStatus(res: ApiResponse, code: number, reason: string | undefined, what: string): void {
  const ctx = `${what}: got HTTP ${res.status} body ${res.text.slice(0, 2000)}`;
  assert.equal(res.status, code, ctx);
  if (reason !== undefined) {
    assert.equal(res.json?.kind, 'Status', ctx);
    assert.equal(res.json?.status, 'Failure', ctx);
    assert.equal(res.json?.reason, reason, ctx);
    assert.equal(res.json?.code, code, ctx);
  }
}
