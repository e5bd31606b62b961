export { createSoapSandbox, SERVICES, type SoapSandbox, type SoapSandboxOptions } from './sandbox.ts';
export type { SoapServiceKey } from './services/common.ts';
