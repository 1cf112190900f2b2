// Typed, defaulted reads of a StatefulSet's spec and status. Objects travel as loose JSON;
// this is the one place that knows the field paths and the API defaults the controller
// leans on (the registry defaults them, but a set read from a foreign server or built by a
// test may lack them).

import type { KObject, OwnerReference } from '../../api/object.js';

export type RetentionType = 'Retain' | 'Delete';
export interface RetentionPolicy {
  whenDeleted: RetentionType;
  whenScaled: RetentionType;
}

export interface RollingUpdate {
  partition?: number;
  maxUnavailable?: number | string;
}

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  availableReplicas?: number;
  conditions?: unknown[];
}

type Obj = Record<string, unknown>;

export function specOf(set: KObject): Obj {
  return (set.spec ?? {}) as Obj;
}

export function statusOf(set: KObject): StatefulSetStatus {
  return (set.status ?? {}) as StatefulSetStatus;
}

export function replicasOf(set: KObject): number {
  const r = specOf(set).replicas;
  return typeof r === 'number' ? r : 1;
}

/** First ordinal in range (spec.ordinals.start, 0 when unset). */
export function startOrdinal(set: KObject): number {
  const o = specOf(set).ordinals as Obj | undefined;
  return typeof o?.start === 'number' ? o.start : 0;
}

/** Last ordinal in range, inclusive (start - 1 when replicas is 0). */
export function endOrdinal(set: KObject): number {
  return startOrdinal(set) + replicasOf(set) - 1;
}

export function allowsBurst(set: KObject): boolean {
  return specOf(set).podManagementPolicy === 'Parallel';
}

export function minReadySeconds(set: KObject): number {
  const m = specOf(set).minReadySeconds;
  return typeof m === 'number' ? m : 0;
}

export function revisionHistoryLimit(set: KObject): number {
  const l = specOf(set).revisionHistoryLimit;
  return typeof l === 'number' ? l : 10;
}

export function strategyType(set: KObject): 'RollingUpdate' | 'OnDelete' {
  const s = specOf(set).updateStrategy as Obj | undefined;
  return s?.type === 'OnDelete' ? 'OnDelete' : 'RollingUpdate';
}

/** spec.updateStrategy.rollingUpdate, undefined when absent (which matters: see newVersionedPod). */
export function rollingUpdateOf(set: KObject): RollingUpdate | undefined {
  const s = specOf(set).updateStrategy as Obj | undefined;
  const ru = s?.rollingUpdate;
  return ru && typeof ru === 'object' ? (ru as RollingUpdate) : undefined;
}

export function partitionOf(set: KObject): number {
  return rollingUpdateOf(set)?.partition ?? 0;
}

export function retentionPolicy(set: KObject): RetentionPolicy {
  const p = specOf(set).persistentVolumeClaimRetentionPolicy as Partial<RetentionPolicy> | undefined;
  // Upstream replaces the default wholesale when the struct is present; the registry fills
  // empty sub-fields, so an empty one here can only come from an undefaulted object.
  return { whenDeleted: p?.whenDeleted ?? 'Retain', whenScaled: p?.whenScaled ?? 'Retain' };
}

export function volumeClaimTemplates(set: KObject): KObject[] {
  const v = specOf(set).volumeClaimTemplates;
  return Array.isArray(v) ? (v as KObject[]) : [];
}

export function templateOf(set: KObject): { metadata?: Obj; spec?: Obj } {
  return (specOf(set).template ?? {}) as { metadata?: Obj; spec?: Obj };
}

export function serviceNameOf(set: KObject): string {
  const s = specOf(set).serviceName;
  return typeof s === 'string' ? s : '';
}

export function selectorMatchLabels(set: KObject): Record<string, string> | undefined {
  const sel = specOf(set).selector as Obj | undefined;
  const ml = sel?.matchLabels;
  return ml && typeof ml === 'object' ? (ml as Record<string, string>) : undefined;
}

export function nameOf(o: KObject): string {
  return o.metadata.name ?? '';
}

export function namespaceOf(o: KObject): string {
  return o.metadata.namespace ?? '';
}

/** A controller ownerReference to `owner` (metav1.NewControllerRef). */
export function controllerRef(owner: KObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: nameOf(owner), uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export const SET_API_VERSION = 'apps/v1';
export const SET_KIND = 'StatefulSet';
export const POD_API_VERSION = 'v1';
export const POD_KIND = 'Pod';
