// The pod shim: a small Python program that ordinal starts once per pod, detached from
// itself, inside the pod's fresh UTS/mount/PID/IPC namespaces and its network namespace.
// It is the pod's PID 1 and "pause" process: it owns the namespaces, builds the pod's
// filesystem, starts containers on request, writes their logs and records their exits, so
// that a crash of ordinal neither kills pods nor interrupts their logs.
//
// The source is embedded here (rather than shipped as a .py file) so that it is always the
// one that matches this build; ordinal writes it into the data dir at start.

import { SHIM_PY_LOOP } from './shim-py-loop.js';
import { SHIM_PY_SANDBOX } from './shim-py-sandbox.js';

export const SHIM_SCRIPT = `# ordinal pod shim (generated; do not edit)\n${SHIM_PY_SANDBOX}\n${SHIM_PY_LOOP}`;
