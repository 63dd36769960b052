/** Settings → Handoff rules: the rules form editor (issue 4). Not built yet; the workspace YAML edits it meanwhile. */
export function RulesSettings() {
  return (
    <p className="muted">
      This screen is not built yet. Edit Handoff rules in <a href="/settings/workspace">the workspace YAML</a>.
    </p>
  );
}
