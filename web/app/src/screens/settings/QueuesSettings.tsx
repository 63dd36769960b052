/** Settings → Queues: queues. Not built yet; the workspace YAML edits it meanwhile. */
export function QueuesSettings() {
  return (
    <p className="muted">
      This screen is not built yet. Edit Queues in <a href="/settings/workspace">the workspace YAML</a>.
    </p>
  );
}
