/** Settings → Notifications: notification targets. Not built yet; the workspace YAML edits it meanwhile. */
export function NotificationTargetsSettings() {
  return (
    <p className="muted">
      This screen is not built yet. Edit Notifications in <a href="/settings/workspace">the workspace YAML</a>
      .
    </p>
  );
}
