// The cluster DNS server (Kubernetes DNS specification, schema 1.1.0).

export { startDnsServer, type DnsServerOptions, type DnsListenAddress, type RunningDnsServer } from './server.js';
