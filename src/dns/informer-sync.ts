// Keeps the DNS index in step with the Service, EndpointSlice and Namespace informers: any
// change to a Service or to one of its slices recomputes that Service's entry at once.

import type { KObject } from '../api/object.js';
import { mustFindResource } from '../api/resources.js';
import type { DeletedFinalStateUnknown, Informer, InformerFactory } from '../client/informer-types.js';
import { DnsIndex, serviceKey } from './dns-index.js';
import { SERVICE_NAME_LABEL, serviceEntry } from './service-entry.js';

const SERVICES = mustFindResource('', 'services');
const ENDPOINT_SLICES = mustFindResource('discovery.k8s.io', 'endpointslices');
const NAMESPACES = mustFindResource('', 'namespaces');

/** Slices by `namespace/service-name` (lower case), so a Service finds its own. */
const SLICE_INDEX = 'dns:service-name';

export interface IndexFeed {
  index: DnsIndex;
  synced(): boolean;
  namespaceExists(namespace: string): boolean;
  /** Stops applying changes (informers have no way to remove a handler). */
  detach(): void;
}

function sliceServiceKey(slice: KObject): string | undefined {
  const svc = slice.metadata.labels?.[SERVICE_NAME_LABEL];
  return svc && slice.metadata.namespace ? serviceKey(slice.metadata.namespace, svc) : undefined;
}

function unwrap(obj: KObject | DeletedFinalStateUnknown): KObject {
  return 'metadata' in obj ? obj : obj.obj;
}

function addIndexOnce(inf: Informer, name: string, fn: (o: KObject) => string[]): void {
  try {
    inf.addIndexer(name, fn);
  } catch {
    // A second DNS server on the same factory: the index is already there, and identical.
  }
}

export function feedIndex(informers: InformerFactory, zone: string): IndexFeed {
  const index = new DnsIndex(zone);
  const services = informers.forResource(SERVICES);
  const slices = informers.forResource(ENDPOINT_SLICES);
  const namespaces = informers.forResource(NAMESPACES);
  addIndexOnce(slices, SLICE_INDEX, (s) => {
    const k = sliceServiceKey(s);
    return k ? [k] : [];
  });
  let attached = true;

  // Service names are DNS labels, so the lower-cased key finds the object by its real name.
  const refresh = (key: string) => {
    if (!attached) return;
    const svc = services.lister.get(key);
    index.set(key, svc ? serviceEntry(svc, slices.lister.byIndex(SLICE_INDEX, key)) : undefined);
  };
  const refreshService = (o: KObject | DeletedFinalStateUnknown) => {
    const obj = unwrap(o);
    if (obj.metadata.namespace && obj.metadata.name) refresh(serviceKey(obj.metadata.namespace, obj.metadata.name));
  };
  const refreshSlice = (o: KObject | DeletedFinalStateUnknown) => {
    const k = sliceServiceKey(unwrap(o));
    if (k) refresh(k);
  };
  services.addEventHandler({ onAdd: refreshService, onUpdate: (_, n) => refreshService(n), onDelete: refreshService });
  slices.addEventHandler({
    onAdd: refreshSlice,
    // A relabelled slice leaves one Service and joins another: refresh both.
    onUpdate: (o, n) => {
      refreshSlice(o);
      refreshSlice(n);
    },
    onDelete: refreshSlice,
  });

  return {
    index,
    synced: () => services.hasSynced() && slices.hasSynced() && namespaces.hasSynced(),
    namespaceExists: (ns) => namespaces.lister.get(ns) !== undefined,
    detach: () => {
      attached = false;
    },
  };
}
