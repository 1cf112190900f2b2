// The StatefulSet controller as the controller manager starts it.

import type { ControllerStarter } from '../context.js';
import { startStatefulSetController as start } from './controller.js';

export const startStatefulSetController: ControllerStarter = start;
