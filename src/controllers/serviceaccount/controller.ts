// The serviceaccounts controller (upstream pkg/controller/serviceaccount): every active
// namespace has a `default` ServiceAccount; it is created when a namespace appears and
// again whenever it is deleted. Terminating namespaces are left alone.

import { StatusError } from '../../api/errors.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import { mustFindResource } from '../../api/resources.js';
import type { DeletedFinalStateUnknown } from '../../client/informer-types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { ControllerContext, RunningController } from '../context.js';
import { runKeyedLoop } from '../keyed-loop.js';

export const COMPONENT = 'serviceaccount-controller';
/** The accounts every namespace gets (upstream DefaultServiceAccountsControllerOptions). */
export const SERVICE_ACCOUNTS_TO_ENSURE: readonly string[] = ['default'];

const NAMESPACES = mustFindResource('', 'namespaces');
const SERVICE_ACCOUNTS = mustFindResource('', 'serviceaccounts');

function isTombstone(o: KObject | DeletedFinalStateUnknown): o is DeletedFinalStateUnknown {
  return (o as DeletedFinalStateUnknown).key !== undefined && (o as DeletedFinalStateUnknown).obj !== undefined;
}

function phaseOf(ns: KObject): unknown {
  return isPlainObject(ns.status) ? ns.status.phase : undefined;
}

/** Whether a create failed only because the namespace is going away (nothing to do then). */
function namespaceTerminating(e: StatusError): boolean {
  return e.code === 403 && (e.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

export function startServiceAccountController(ctx: ControllerContext): RunningController {
  const namespaces = ctx.informers.forResource(NAMESPACES);
  const accounts = ctx.informers.forResource(SERVICE_ACCOUNTS);
  const queue = new WorkQueue<string>();

  namespaces.addEventHandler({
    onAdd: (ns) => queue.add(ns.metadata.name ?? ''),
    onUpdate: (_old, ns) => queue.add(ns.metadata.name ?? ''),
  });
  accounts.addEventHandler({
    onDelete: (o) => {
      const sa = isTombstone(o) ? o.obj : o;
      if (SERVICE_ACCOUNTS_TO_ENSURE.includes(sa.metadata.name ?? '')) queue.add(sa.metadata.namespace ?? '');
    },
  });

  const syncNamespace = async (name: string) => {
    const ns = namespaces.lister.get(name);
    if (!ns || phaseOf(ns) !== 'Active') return;
    for (const saName of SERVICE_ACCOUNTS_TO_ENSURE) {
      if (accounts.lister.get(`${name}/${saName}`)) continue;
      try {
        await ctx.client.create(SERVICE_ACCOUNTS, name, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: saName } });
      } catch (e) {
        if (e instanceof StatusError && (e.code === 409 || namespaceTerminating(e))) continue;
        throw e;
      }
    }
  };

  // Upstream runs this controller with one worker.
  return runKeyedLoop({
    ctx,
    queue,
    informers: [namespaces, accounts],
    sync: syncNamespace,
    describe: (key) => `serviceaccount-controller: syncing namespace ${key}`,
  });
}
