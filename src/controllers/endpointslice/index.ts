// The EndpointSlice controller and, beside it, the legacy Endpoints controller: both publish
// the pods behind every Service with a selector.

import type { ControllerStarter } from '../context.js';
import { startEndpointSliceController } from './endpointslice-controller.js';
import { startEndpointsController } from './endpoints-controller.js';

export {
  ENDPOINTSLICE_COMPONENT,
  SLICE_CHANGE_SYNC_DELAY_MS,
  startEndpointSliceController,
  startEndpointSliceControllerWith,
  type EndpointSliceControllerOptions,
} from './endpointslice-controller.js';
export { ENDPOINTS_COMPONENT, startEndpointsController } from './endpoints-controller.js';
export { MAX_ENDPOINTS_PER_SLICE } from './slice-plan.js';
export { CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './slice-object.js';
export { HEADLESS_LABEL, TRIGGER_TIME_ANNOTATION } from './service-facts.js';

/** Both controllers as one component (`endpointslice` in the manager's table). */
export const startEndpointControllers: ControllerStarter = (ctx) => {
  const slices = startEndpointSliceController(ctx);
  const endpoints = startEndpointsController(ctx);
  return {
    async stop() {
      await endpoints.stop();
      await slices.stop();
    },
  };
};
