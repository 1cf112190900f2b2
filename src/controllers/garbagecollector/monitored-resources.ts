// Which resources the collector watches: those a client can delete, list and watch (upstream's
// GetDeletableResources), less the ignored ones. Events are ignored, as upstream's
// DefaultIgnoredResources: there are many, they churn, and nothing should own through them.

import { RESOURCES, type ResourceInfo } from '../../api/resources.js';

const IGNORED = new Set(['/events', 'events.k8s.io/events']);

export function isIgnored(res: ResourceInfo): boolean {
  return IGNORED.has(`${res.group}/${res.plural}`);
}

export function monitoredResources(all: readonly ResourceInfo[] = RESOURCES): ResourceInfo[] {
  return all.filter((res) => ['delete', 'list', 'watch'].every((v) => res.verbs.includes(v)) && !isIgnored(res));
}
