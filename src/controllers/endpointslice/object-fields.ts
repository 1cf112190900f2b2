// Loose readers for the plain-JSON objects the controllers receive.

import { isPlainObject, type JsonObject, type KObject } from '../../api/object.js';

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const objects = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);
export const specOf = (o: KObject): JsonObject => (isPlainObject(o.spec) ? o.spec : {});
export const statusOf = (o: KObject): JsonObject => (isPlainObject(o.status) ? o.status : {});
