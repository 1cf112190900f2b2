// The four resources the StatefulSet controller watches and writes.

import { mustFindResource } from '../../api/resources.js';

export const RESOURCES = {
  sets: mustFindResource('apps', 'statefulsets'),
  pods: mustFindResource('', 'pods'),
  claims: mustFindResource('', 'persistentvolumeclaims'),
  revisions: mustFindResource('apps', 'controllerrevisions'),
} as const;
