// The capability set a container keeps: upstream's default (containerd's and Docker's) list.
// Everything else, notably CAP_SYS_ADMIN (mount, and so unmounting what hides ordinal's data
// dir), CAP_NET_ADMIN and CAP_SYS_PTRACE, is dropped from the bounding set.

export const DEFAULT_CAPABILITIES: readonly { name: string; number: number }[] = [
  { name: 'chown', number: 0 },
  { name: 'dac_override', number: 1 },
  { name: 'fowner', number: 3 },
  { name: 'fsetid', number: 4 },
  { name: 'kill', number: 5 },
  { name: 'setgid', number: 6 },
  { name: 'setuid', number: 7 },
  { name: 'setpcap', number: 8 },
  { name: 'net_bind_service', number: 10 },
  { name: 'net_raw', number: 13 },
  { name: 'sys_chroot', number: 18 },
  { name: 'mknod', number: 27 },
  { name: 'audit_write', number: 29 },
  { name: 'setfcap', number: 31 },
];

export const DEFAULT_CAPABILITY_NUMBERS: number[] = DEFAULT_CAPABILITIES.map((c) => c.number);

/** `setpriv` arguments that cut an exec'd process to the same set (bounding and inheritable). */
export function setprivArgs(): string[] {
  const bounding = ['-all', ...DEFAULT_CAPABILITIES.map((c) => `+${c.name}`)].join(',');
  return ['--bounding-set', bounding, '--inh-caps', '-all'];
}
