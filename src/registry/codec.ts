// A resource served in a different shape than it is stored in (events.k8s.io/v1 Events are
// core/v1 Events in storage, as upstream). Both directions must be lossless for the fields
// that both shapes have.

import type { KObject } from '../api/object.js';

export interface Codec {
  toStorage(obj: KObject): KObject;
  fromStorage(obj: KObject): KObject;
}
