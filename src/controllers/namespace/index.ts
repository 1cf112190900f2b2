// The namespace controller: empties terminating namespaces and releases their `kubernetes`
// finalizer so the API server can remove them.

export { COMPONENT, newNamespaceController, startNamespaceController, type NamespaceControllerOptions } from './controller.js';
export { FINALIZER_TOKEN, NamespacedResourcesDeleter, ResourcesRemainingError, deletableNamespacedResources } from './content-deleter.js';
export { CONDITION_TYPES, failingConditions, mergeConditions, type ContentTotals, type NamespaceCondition } from './conditions.js';
