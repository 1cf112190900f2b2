// ControllerRevision history for the StatefulSet controller: revision bytes and hashes as
// Kubernetes 1.33 writes them, comparison (with #135017's semantic fallback), ordering,
// truncation, and the History service over the Client.

export { goMarshal } from './go-json.js';
export { normalizePodTemplate } from './go-shape.js';
export { CONTROLLER_REVISION_HASH_LABEL, controllerRevisionName, hashControllerRevision, safeEncodeString } from './hash.js';
export { applyRevision, revisionDataBytes, revisionMatchesSet, statefulSetPatch, type TemplateDefaulter } from './revision-data.js';
export {
  STATEFULSET_API_VERSION,
  STATEFULSET_KIND,
  controllerOf,
  equalRevision,
  findEqualRevisions,
  newRevision,
  nextRevision,
  revisionNumber,
  sortRevisions,
  statefulSetControllerRef,
} from './revisions.js';
export { DEFAULT_REVISION_HISTORY_LIMIT, POD_REVISION_LABEL, podRevision, revisionHistoryLimit, revisionsToTruncate } from './truncate.js';
export { CONTROLLER_REVISIONS, newHistory, type CreatedRevision, type History } from './history.js';
export {
  getStatefulSetRevisions,
  truncateHistory,
  type RevisionOptions,
  type StatefulSetRevisions,
} from './statefulset-revisions.js';
