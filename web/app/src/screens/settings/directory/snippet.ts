/**
 * The one tag that puts the chat widget on a site (README "Quick start"): served by this Baton at
 * `/widget.js`, bound to a chat channel by `data-channel`.
 */
export function widgetSnippet(origin: string, channelId: string): string {
  const host = origin.replace(/\/+$/, '');
  return `<script src="${escapeAttribute(`${host}/widget.js`)}" data-channel="${escapeAttribute(channelId)}" async></script>`;
}

/** Channel ids are slugs, but the snippet stays valid HTML whatever it is given. */
function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Only chat channels are the website widget's (email, in-app and API channels have no snippet). */
export const hasWidgetSnippet = (channel: { readonly type: string }): boolean => channel.type === 'chat';
