// Reads the commands of README.md's "## Tutorial" section, with the output the README shows
// for each, and normalises output so that what varies from run to run (ages, uids, IPs,
// ports, timestamps, column widths, line order) does not count as a difference.
//
// The README's conventions, which this file defines:
//   - In a fenced block, a line starting with "$ " is a command (a trailing "\" continues
//     it); the lines up to the next command are its output.
//   - <!-- setup --> before a block: installation; never run.
//   - <!-- output varies --> before a block: its commands must exit 0, their output is not
//     compared (e.g. `kubectl get pod` "at several moments", `kubectl rollout status`).
//   - `npm start` and `kubectl get … -w` run in the background (another terminal for the
//     user); <!-- stop-watch --> marks where the user presses Ctrl-C on the watch: the
//     runner waits there until the watch has shown the README's last line, then stops it.

import { readFileSync } from 'node:fs';

export interface CommandStep {
  kind: 'command';
  command: string;
  shown: string[];
  setup: boolean;
  varies: boolean;
  /** 1-based line of the command in README.md, for failure messages. */
  line: number;
}
export interface StopWatchStep { kind: 'stop-watch'; line: number }
export type Step = CommandStep | StopWatchStep;

/** The steps of the README's Tutorial section, in order. */
export function tutorialSteps(readmeText: string): Step[] {
  const lines = readmeText.split('\n');
  const start = lines.findIndex((l) => /^## Tutorial\s*$/.test(l));
  if (start < 0) throw new Error('README.md has no "## Tutorial" section');
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  const steps: Step[] = [];
  let directives = new Set<string>();
  for (let i = start + 1; i < end; i++) {
    const line = lines[i]!;
    const directive = /^<!--\s*([a-z -]+?)\s*-->\s*$/.exec(line);
    if (directive) {
      if (directive[1] === 'stop-watch') steps.push({ kind: 'stop-watch', line: i + 1 });
      else directives.add(directive[1]!);
      continue;
    }
    if (!line.startsWith('```')) {
      if (line.trim()) directives = new Set();
      continue;
    }
    let current: CommandStep | undefined;
    for (i++; i < end && !lines[i]!.startsWith('```'); i++) {
      const l = lines[i]!;
      if (l.startsWith('$ ')) {
        let command = l.slice(2);
        const line = i + 1;
        while (command.endsWith('\\') && i + 1 < end) command = `${command.slice(0, -1)} ${lines[++i]!.trim()}`;
        current = { kind: 'command', command: command.trim(), shown: [], setup: directives.has('setup'), varies: directives.has('output varies'), line };
        steps.push(current);
      } else if (current) {
        current.shown.push(l);
      }
    }
    directives = new Set();
  }
  return steps;
}

export function readTutorialSteps(readmePath: string): Step[] {
  return tutorialSteps(readFileSync(readmePath, 'utf8'));
}

export const isBackground = (command: string) => command === 'npm start' || /^kubectl get\b.*\s(-w|--watch)\b/.test(command);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const IPV4 = /\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g;
const RFC1123 = /[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}/g;
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g;
const AGE = /^(\d+(d|h|m|s|ms|y)){1,2}$|^<invalid>$/;

/** One line as it compares: variable parts replaced, whitespace collapsed. */
export function normalizeLine(line: string, home?: string): string {
  let l = line;
  if (home) l = l.split(home).join('/root');
  l = l
    .replace(UUID, '<uid>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .replace(IPV4, (ip) => (ip === '127.0.0.1' ? ip : '<ip>'))
    .replace(RFC1123, '<time>')
    .replace(ISO, '<time>')
    .replace(/ in \d+ ms\b/g, ' in <n> ms');
  return l
    .trim()
    .split(/\s+/)
    .map((w) => (AGE.test(w) ? '<age>' : w))
    .join(' ');
}

/** The output as a sorted list of normalised non-empty lines. */
export function normalizeOutput(lines: string[], home?: string): string[] {
  return lines.map((l) => normalizeLine(l, home)).filter((l) => l !== '').sort();
}
