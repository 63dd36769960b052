import type { MeWithStatus } from '../api.js';
import { ScreenFrame } from './ScreenFrame.js';

/** The simulator screen (issue 4): built in web/app/src/screens/Simulator.tsx. */
export function Simulator({ me }: { me: MeWithStatus }) {
  return (
    <ScreenFrame me={me} title="Simulator">
      <p className="pad">The simulator screen is being built.</p>
    </ScreenFrame>
  );
}
