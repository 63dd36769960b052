import { describe, expect, it } from 'vitest';
import { PermanentDeliveryError } from '../outbox-worker.js';
import { buildSlackMessage, checkPostMessageAnswer, escapeSlack } from './slack.js';

describe('Slack Block Kit messages', () => {
  const message = buildSlackMessage({
    title: 'New conversation: <!here> & friends',
    body: 'Assigned to you (rule <vip>).',
    link: 'https://desk.acme.test/conversations/c1',
    fields: [
      ['Contact', '<!channel> <https://evil.test|click>'],
      ['Rule', 'everyone'],
    ],
  });

  it('has a header, the text, the fields and a button to the conversation', () => {
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'actions']);
    expect(message.blocks[3]).toMatchObject({ elements: [{ type: 'button', url: 'https://desk.acme.test/conversations/c1', text: { text: 'Open conversation' } }] });
  });

  it('escapes customer text in mrkdwn, so it cannot mention a channel or forge a link', () => {
    expect(message.blocks[2]).toMatchObject({
      fields: [
        { type: 'mrkdwn', text: '*Contact*\n&lt;!channel&gt; &lt;https://evil.test|click&gt;' },
        { type: 'mrkdwn', text: '*Rule*\neveryone' },
      ],
    });
    expect(message.blocks[1]).toMatchObject({ text: { type: 'mrkdwn', text: 'Assigned to you (rule &lt;vip&gt;).' } });
    expect(message.text).not.toContain('<!here>');
  });

  it('leaves the plain_text header as written (Slack does not interpret it)', () => {
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'New conversation: <!here> & friends' } });
  });

  it('clips the header to Slack’s 150 characters', () => {
    const long = buildSlackMessage({ title: 'x'.repeat(400), body: 'b', link: 'https://a.test/', fields: [] });
    expect((long.blocks[0] as { text: { text: string } }).text.text).toHaveLength(150);
    expect(escapeSlack('a & b')).toBe('a &amp; b');
  });
});

describe('chat.postMessage answers (bot token)', () => {
  it('accepts ok: true', () => {
    expect(() => checkPostMessageAnswer('{"ok":true,"ts":"1.2"}')).not.toThrow();
  });

  it('retries rate limits and Slack-side errors', () => {
    for (const error of ['ratelimited', 'internal_error', 'service_unavailable']) {
      let thrown: unknown = null;
      try {
        checkPostMessageAnswer(JSON.stringify({ ok: false, error }));
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(Error);
      expect(thrown).not.toBeInstanceOf(PermanentDeliveryError);
    }
  });

  it('dead-letters configuration errors at once', () => {
    for (const error of ['invalid_auth', 'channel_not_found', 'not_in_channel']) {
      expect(() => checkPostMessageAnswer(JSON.stringify({ ok: false, error }))).toThrow(PermanentDeliveryError);
    }
  });
});
