export { startClusterIPRules, type ClusterIPOptions, type ClusterIPRules } from './cluster-ip-rules.js';
export { rulesetFor, TABLE } from './ruleset.js';
export { serviceTargets, type ServiceTarget, type Backend } from './service-targets.js';
