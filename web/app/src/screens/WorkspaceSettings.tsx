import type { MeWithStatus } from '../api.js';
import { ScreenFrame } from './ScreenFrame.js';

/** Settings → the workspace as YAML (issue 4): built in web/app/src/screens/WorkspaceSettings.tsx. */
export function WorkspaceSettings({ me }: { me: MeWithStatus }) {
  return (
    <ScreenFrame me={me} title="Settings">
      <p className="pad">The settings screen is being built.</p>
    </ScreenFrame>
  );
}
