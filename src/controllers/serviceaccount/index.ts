// The serviceaccounts controller: the `default` ServiceAccount of every active namespace.

export { COMPONENT, SERVICE_ACCOUNTS_TO_ENSURE, startServiceAccountController } from './controller.js';
