/**
 * Kept for tests written against the agent app's old harness (other branches): everything lives in
 * ./support.ts, the one e2e harness. New tests import from there.
 */
export {
  aCustomer,
  artifactsDir,
  CHROMIUM,
  chromiumAvailable,
  DEMO_PASSWORD,
  E2E_ADMIN_TOKEN,
  ensureAppBuilt,
  launchChromium,
  startBaton,
  type RunningBaton,
} from './support.js';
