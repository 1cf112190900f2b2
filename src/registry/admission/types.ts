// Admission: the API server's plugins that run after defaulting and before validation on
// create and update (upstream's mutating and validating admission, in-tree plugins only).
// A plugin may change the object, or refuse the request with a StatusError.

import type { KObject } from '../../api/object.js';
import type { ResourceInfo } from '../../api/resources.js';
import type { Store } from '../../store/types.js';

export interface AdmissionRequest {
  operation: 'create' | 'update';
  info: ResourceInfo;
  obj: KObject;
  old?: KObject;
  /** Read-only access to current objects (e.g. the default StorageClass). */
  store: Pick<Store, 'get' | 'list'>;
}

export interface AdmissionPlugin {
  name: string;
  /** Whether the plugin looks at this resource at all. */
  handles(info: ResourceInfo): boolean;
  admit(req: AdmissionRequest): void;
}
