// A small IPv4 address allocator over one CIDR: hands out host addresses in order, skipping
// the network address, the first host (the bridge/gateway by convention) and broadcast, and
// reuses released ones.

function toInt(ip: string): number {
  return ip.split('.').reduce((a, o) => (a << 8) + Number(o), 0) >>> 0;
}

function toIP(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

export class Ipam {
  private readonly first: number;
  private readonly last: number;
  private next: number;
  private readonly used = new Set<number>();
  private readonly free: number[] = [];

  constructor(cidr: string) {
    const [base, bitsText] = cidr.split('/');
    const bits = Number(bitsText);
    if (!base || !/^\d+\.\d+\.\d+\.\d+$/.test(base) || !(bits >= 8 && bits <= 30)) throw new Error(`invalid pod CIDR ${JSON.stringify(cidr)}: want an IPv4 range from /8 to /30`);
    const mask = (0xffffffff << (32 - bits)) >>> 0;
    const network = (toInt(base) & mask) >>> 0;
    const broadcast = (network | (~mask >>> 0)) >>> 0;
    this.first = network + 2;
    this.last = broadcast - 1;
    this.next = this.first;
  }

  allocate(): string {
    const reused = this.free.shift();
    if (reused !== undefined) {
      this.used.add(reused);
      return toIP(reused);
    }
    if (this.next > this.last) throw new Error('pod CIDR exhausted: no address left');
    const n = this.next++;
    this.used.add(n);
    return toIP(n);
  }

  release(ip: string): void {
    const n = toInt(ip);
    if (this.used.delete(n)) this.free.push(n);
  }

  get allocated(): number {
    return this.used.size;
  }
}
