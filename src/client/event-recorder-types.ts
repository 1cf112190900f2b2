// Recording Events about objects, as client-go's EventRecorder: core/v1 Events with
// `source.component`, aggregated by (object, reason, message) into one Event whose count grows.

import type { KObject } from '../api/object.js';

export interface EventRecorder {
  /** type is 'Normal' or 'Warning'; reason is CamelCase; message is the human text. */
  event(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface EventRecorderFactory {
  recorderFor(component: string): EventRecorder;
  /** Resolves once every Event recorded so far has been written (tests, shutdown). */
  flush(): Promise<void>;
}
