// The StorageClass `ordinal up` creates at bootstrap, as kind ships `standard`: local-path,
// the cluster default, WaitForFirstConsumer, reclaim Delete.

import type { KObject } from '../../api/object.js';
import { LOCAL_PATH_PROVISIONER } from './local-path-provisioner.js';
import { ANN_DEFAULT_CLASS } from './volume-objects.js';

export function defaultStorageClassManifest(): KObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { [ANN_DEFAULT_CLASS]: 'true' } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}
