/** Settings → Users: users with skills, capacity and schedule. Not built yet; the workspace YAML edits it meanwhile. */
export function UsersSettings() {
  return (
    <p className="muted">
      This screen is not built yet. Edit Users in <a href="/settings/workspace">the workspace YAML</a>.
    </p>
  );
}
