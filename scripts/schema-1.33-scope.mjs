// Which differences between our two schema sources belong to Kubernetes 1.33.
//
// kubernetes-types@1.30.0 is older than our reference release and
// @kubernetes/client-node@2.0.1 is newer (its models say "release-1.36"), so the
// generator takes every property client-node adds on top of kubernetes-types EXCEPT
// the ones listed here. Each entry was checked against the k8s.io/api struct tags
// compiled into kubectl v1.33.1 (`strings kubectl.1.33 | grep 'name=<field>'`): a
// field whose json/protobuf tag is absent there did not exist in 1.33.
//
// After bumping client-node, run `GEN_SCHEMA_VERBOSE=1 node scripts/gen-schema.mjs`:
// it lists every property and definition taken from client-node, and each new one
// must be checked the same way and, if newer than 1.33, added here.

/** definition name → client-node properties that arrived after 1.33 (kept out). */
export const AFTER_1_33 = {
  'io.k8s.api.core.v1.Container': ['restartPolicyRules'], // ContainerRestartRules, 1.34
  'io.k8s.api.core.v1.EphemeralContainer': ['restartPolicyRules'], // same gate, 1.34
  'io.k8s.api.core.v1.EnvVarSource': ['fileKeyRef'], // EnvFiles, 1.34
  'io.k8s.api.core.v1.NodeStatus': ['declaredFeatures'], // NodeDeclaredFeatures, after 1.33
  'io.k8s.api.core.v1.PodSpec': ['hostnameOverride', 'schedulingGroup'], // 1.34 / after
  // Pod-level in-place resize and DRA extended resources (all after 1.33); the pod
  // status fields of 1.33 end at observedGeneration.
  'io.k8s.api.core.v1.PodStatus': ['allocatedResources', 'resources', 'extendedResourceClaimStatus', 'nodeAllocatableResourceClaimStatuses'],
  'io.k8s.api.core.v1.ResourceHealth': ['message'], // device health message, 1.35
  'io.k8s.api.core.v1.VolumeMountStatus': ['volumeStatus'], // after 1.33
  'io.k8s.api.core.v1.VolumeProjection': ['podCertificate'], // PodCertificateRequest, 1.34
  'io.k8s.api.storage.v1.CSIDriverSpec': ['preventPodSchedulingIfMissing', 'serviceAccountTokenInSecrets'], // after 1.33
  'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta': ['shardInfo'], // after 1.33
};

/**
 * definition name → kubernetes-types 1.30 properties that 1.33 no longer has.
 * PodResourceClaim lost `source` (type ClaimSource) in 1.31 when its two fields moved
 * up a level; kubectl 1.33's tags have no `source` at protobuf slot 2 any more.
 */
export const REMOVED_BY_1_33 = {
  'io.k8s.api.core.v1.PodResourceClaim': ['source'],
};

/** Definitions 1.33 no longer has (only reachable through the removed properties). */
export const REMOVED_DEFINITIONS_BY_1_33 = ['io.k8s.api.core.v1.ClaimSource'];
