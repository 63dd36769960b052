/** Settings → Schedules: business hours. Not built yet; the workspace YAML edits it meanwhile. */
export function SchedulesSettings() {
  return (
    <p className="muted">
      This screen is not built yet. Edit Schedules in <a href="/settings/workspace">the workspace YAML</a>.
    </p>
  );
}
