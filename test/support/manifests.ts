// Manifests shared by the kubectl scenarios, written as YAML text so the
// tests exercise kubectl's own file handling.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeManifest(dir: string, file: string, text: string): string {
  const path = join(dir, file);
  writeFileSync(path, text);
  return path;
}

export function headlessService(ns: string, name = 'nginx'): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: nginx
spec:
  clusterIP: None
  ports:
  - name: web
    port: 80
  selector:
    app: nginx
`;
}

export interface StsOptions {
  ns: string;
  name?: string;
  replicas?: number;
  extra?: string;
  containers?: string;
}

export const NGINX_CONTAINER = `      - name: nginx
        image: registry.k8s.io/nginx-slim:0.8
        ports:
        - containerPort: 80
          name: web
        env:
        - name: A
          value: "1"
`;

export function statefulSet(o: StsOptions): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${o.name ?? 'web'}
  namespace: ${o.ns}
spec:
  serviceName: nginx
  replicas: ${o.replicas ?? 2}
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
${o.containers ?? NGINX_CONTAINER}${o.extra ?? ''}`;
}

export function pod(ns: string, name: string, labels: Record<string, string> = { app: 'nginx' }): string {
  const l = Object.entries(labels).map(([k, v]) => `    ${k}: ${v}\n`).join('');
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
${l}spec:
  containers:
  - name: main
    image: busybox:1.37
    command: ["sleep", "3600"]
`;
}

export function configMapBody(ns: string, name: string, data: Record<string, string> = {}): object {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data };
}
