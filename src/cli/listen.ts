// `--listen HOST:PORT` parsing, and the loopback-only rule.

export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  if (!m) throw new Error(`--listen ${text}: expected HOST:PORT`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`--listen ${text}: port out of range`);
  return { host: m[1] ?? m[2]!, port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
