// Upstream's DefaultStorageClass admission: a claim that names no class gets the default one
// (the newest of those annotated as default), so that `kubectl get pvc` shows it at once.

import type { KObject } from '../../api/object.js';
import type { AdmissionPlugin } from './types.js';

const DEFAULT_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

export function defaultClassName(classes: KObject[]): string | undefined {
  const defaults = classes.filter((c) => c.metadata.annotations?.[DEFAULT_ANNOTATION] === 'true');
  defaults.sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)) || String(a.metadata.name).localeCompare(String(b.metadata.name)));
  return defaults[0]?.metadata.name;
}

export const defaultStorageClass: AdmissionPlugin = {
  name: 'DefaultStorageClass',
  handles: (info) => info.group === '' && info.plural === 'persistentvolumeclaims',
  admit({ operation, obj, store }) {
    if (operation !== 'create') return;
    const spec = (obj.spec ?? {}) as { storageClassName?: string | null };
    // An explicit "" asks for no class; only an unset class is defaulted.
    if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
    if (obj.metadata.annotations?.[BETA_CLASS_ANNOTATION] !== undefined) return;
    const name = defaultClassName(store.list('/storage.k8s.io/storageclasses/').items.map((i) => i.value));
    if (name) obj.spec = { ...spec, storageClassName: name };
  },
};
