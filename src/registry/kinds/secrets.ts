// Secret (core/v1): type defaulting, stringData folded into data, per-type required keys.
// data values are base64 strings as the client sent them; size limits use decoded sizes.

import { isPlainObject, type KObject } from '../../api/object.js';
import { FieldPath, invalid, required, tooLong, type FieldError } from '../../api/field-errors.js';
import type { Strategy } from '../strategy.js';
import { validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain } from '../validation/metadata.js';
import { isConfigMapKey, sortedKeys, stringAt } from '../validation/core-values.js';
import { MAX_SECRET_SIZE, decodedSize, validateImmutableData } from './configmaps.js';

const META = FieldPath.root('metadata');
const DATA = FieldPath.root('data');

function decoded(obj: KObject, key: string): string | undefined {
  const data = isPlainObject(obj.data) ? obj.data : {};
  return key in data ? Buffer.from(String(data[key] ?? ''), 'base64').toString('utf8') : undefined;
}

function validateTypeRules(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = isPlainObject(obj.data) ? obj.data : {};
  const jsonKey = (key: string) => {
    const text = decoded(obj, key);
    if (text === undefined) return errs.push(required(DATA.key(key)));
    try {
      JSON.parse(text);
    } catch (e) {
      errs.push(invalid(DATA.key(key), '<secret contents redacted>', (e as Error).message));
    }
    return 0;
  };
  switch (obj.type) {
    case 'kubernetes.io/service-account-token':
      if (!obj.metadata.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(required(META.child('annotations').key('kubernetes.io/service-account.name')));
      }
      break;
    case 'kubernetes.io/dockercfg':
      jsonKey('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      jsonKey('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) errs.push(required(DATA.key('username')), required(DATA.key('password')));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!decodedSize(data['ssh-privatekey'])) errs.push(required(DATA.key('ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!('tls.crt' in data)) errs.push(required(DATA.key('tls.crt')));
      if (!('tls.key' in data)) errs.push(required(DATA.key('tls.key')));
      break;
  }
  return errs;
}

function validateSecretData(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const k of sortedKeys(obj.data)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(DATA.key(k), k, m));
    total += decodedSize((obj.data as Record<string, unknown>)[k]);
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong(DATA, MAX_SECRET_SIZE));
  return [...errs, ...validateTypeRules(obj)];
}

export const secretStrategy: Strategy = {
  defaults(obj) {
    if (!obj.type) obj.type = 'Opaque';
    // stringData is write-only sugar: merged into data (winning over it) and never stored.
    if (isPlainObject(obj.stringData)) {
      const data = isPlainObject(obj.data) ? obj.data : {};
      for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
      obj.data = data;
    }
    delete obj.stringData;
  },
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain, META), ...validateSecretData(obj)];
  },
  validateUpdate(obj, old) {
    const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata, META), ...validateSecretData(obj)];
    if (obj.type !== old.type) errs.push(invalid(FieldPath.root('type'), obj.type ?? '', 'field is immutable'));
    return [...errs, ...validateImmutableData(obj, old, ['data'])];
  },
  fieldSelectorFields(obj) {
    return { type: stringAt(obj, 'type') };
  },
};
