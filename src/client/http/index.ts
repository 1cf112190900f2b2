// The HTTPS transport's public face.
export { HttpClient, clientFromKubeconfig } from './http-client.js';
export { loadKubeconfig, type KubeconfigConnection } from './kubeconfig.js';
export type { TransportOptions } from './transport.js';
