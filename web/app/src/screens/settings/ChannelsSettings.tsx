/** Settings → Channels: channels and the widget snippet. Not built yet; the workspace YAML edits it meanwhile. */
export function ChannelsSettings() {
  return (
    <p className="muted">
      This screen is not built yet. Edit Channels in <a href="/settings/workspace">the workspace YAML</a>.
    </p>
  );
}
