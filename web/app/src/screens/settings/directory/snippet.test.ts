import { describe, expect, it } from 'vitest';
import { hasWidgetSnippet, widgetSnippet } from './snippet.js';

describe('the widget snippet', () => {
  it('is the one script tag served by this Baton for the channel', () => {
    expect(widgetSnippet('https://help.acme.test', 'web-chat')).toBe(
      '<script src="https://help.acme.test/widget.js" data-channel="web-chat" async></script>',
    );
    expect(widgetSnippet('http://127.0.0.1:3000/', 'web-chat')).toContain(
      'src="http://127.0.0.1:3000/widget.js"',
    );
  });

  it('stays valid HTML whatever the id is', () => {
    expect(widgetSnippet('https://h.test', 'a"b<c')).toContain('data-channel="a&quot;b&lt;c"');
  });

  it('belongs to chat channels only', () => {
    expect(hasWidgetSnippet({ type: 'chat' })).toBe(true);
    expect(hasWidgetSnippet({ type: 'email' })).toBe(false);
  });
});
