/** Settings → Teams: teams. Not built yet; the workspace YAML edits it meanwhile. */
export function TeamsSettings() {
  return (
    <p className="muted">
      This screen is not built yet. Edit Teams in <a href="/settings/workspace">the workspace YAML</a>.
    </p>
  );
}
