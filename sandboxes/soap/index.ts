export { createSoapSandbox, SERVICES, type SoapSandboxOptions } from './sandbox.ts';
