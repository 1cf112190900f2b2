// Node rows: Ready/NotReady/Unknown (plus SchedulingDisabled), roles from role labels, addresses.

import type { KObject } from '../object.js';
import { age, ageColumn, column, nameColumn, nameOf, wide, type Printer } from './columns.js';
import { arr, at, obj, str } from './fields.js';

const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

const columns = [
  nameColumn(),
  column('Status', 'Readiness of the node, and whether scheduling is disabled.'),
  column('Roles', 'Roles from the node\'s role labels.'),
  ageColumn(),
  column('Version', 'Kubelet version reported by the node.'),
  wide('Internal-IP', 'The node\'s first InternalIP address.'),
  wide('External-IP', 'The node\'s first ExternalIP address.'),
  wide('OS-Image', 'Operating system image reported by the node.'),
  wide('Kernel-Version', 'Kernel version reported by the node.'),
  wide('Container-Runtime', 'Container runtime and version reported by the node.'),
];

export function nodeStatus(node: KObject): string {
  const status: string[] = [];
  const ready = arr(obj(node.status).conditions).map(obj).filter((c) => str(c.type) === 'Ready').pop();
  if (ready) status.push(str(ready.status) === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (at(node, 'spec', 'unschedulable') === true) status.push('SchedulingDisabled');
  return status.join(',');
}

export function nodeRoles(node: KObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_LABEL_PREFIX)) {
      const role = k.slice(ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === ROLE_LABEL && v !== '') {
      roles.add(v);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function address(node: KObject, type: string): string {
  const found = arr(obj(node.status).addresses).map(obj).find((a) => str(a.type) === type);
  return found ? str(found.address) : '<none>';
}

export const nodePrinter: Printer = {
  columns,
  print(node: KObject, now: Date) {
    const info = obj(at(node, 'status', 'nodeInfo'));
    const orUnknown = (v: unknown) => str(v) || '<unknown>';
    return {
      cells: [
        nameOf(node),
        nodeStatus(node),
        nodeRoles(node),
        age(node, now),
        str(info.kubeletVersion),
        address(node, 'InternalIP'),
        address(node, 'ExternalIP'),
        orUnknown(info.osImage),
        orUnknown(info.kernelVersion),
        orUnknown(info.containerRuntimeVersion),
      ],
    };
  },
};
