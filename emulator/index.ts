// The emulator: a local stand-in for Microsoft's cloud (Entra ID issuer, Microsoft Graph, calling-service signing)
// that the app reaches only over HTTPS. Start it with startEmulator; drive it through the /emulator control API.

export type { EmulatedApp, EmulatedApplicationInstance, EmulatedPhone, EmulatedUser, EmulatorLogger, EmulatorOptions, RunningEmulator } from './emulator-options.js';
export { DEV_APPLICATION_INSTANCE_ID, DEV_APPLICATION_INSTANCE_NUMBER } from './directory/phone-network.js';
export { DEFAULT_PORT, DEFAULT_TENANT_ID, DEV_APP_ID, DEV_APP_ROLES } from './emulator-options.js';
export { EmulatorError } from './emulator-error.js';
export { startEmulator } from './start-emulator.js';
