/** Settings → Knowledge: knowledge articles. Not built yet; the workspace YAML edits it meanwhile. */
export function KnowledgeSettings() {
  return (
    <p className="muted">
      This screen is not built yet. Edit Knowledge in <a href="/settings/workspace">the workspace YAML</a>.
    </p>
  );
}
