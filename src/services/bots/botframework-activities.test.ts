import { EventFactory } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { HandoffStatusActivity } from '../../contract/bots-api.js';
import { activitiesUrl, handoffStatusActivity, messageActivity, type BotframeworkAddress } from './botframework-activities.js';

const address: BotframeworkAddress = {
  channelId: 'web-chat',
  bfChannelId: 'msteams',
  bfConversationId: 'a:1Xy;messageid=1700000000000',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  botAccount: { id: '28:bot', name: 'Helper' },
};

describe('Bot Framework activities', () => {
  it('addresses the Connector as "Send to conversation", escaping the conversation id', () => {
    // Teams conversation ids hold ':' and ';' — one path segment all the same.
    expect(activitiesUrl(address)).toBe('https://smba.trafficmanager.net/emea/v3/conversations/a%3A1Xy%3Bmessageid%3D1700000000000/activities');
  });

  it("says handoff.status as botbuilder's EventFactory does, addressed to the bot", () => {
    const ours = handoffStatusActivity(address, { id: 'baton-1', state: 'failed', message: 'unknown channel', replyToId: 'init-1', now: Date.parse('2026-11-25T09:30:00Z') });
    const theirs = EventFactory.createHandoffStatus({ id: address.bfConversationId, isGroup: false, conversationType: '', name: '' }, 'failed', 'unknown channel');
    expect({ type: ours.type, name: ours.name, value: ours.value }).toEqual({ type: theirs.type, name: theirs.name, value: theirs.value });
    expect(HandoffStatusActivity.parse(ours)).toMatchObject({
      id: 'baton-1',
      timestamp: '2026-11-25T09:30:00.000Z',
      channelId: 'msteams',
      conversation: { id: address.bfConversationId },
      recipient: { id: '28:bot' },
      replyToId: 'init-1',
    });
  });

  it("relays an agent's reply as a plain-text message from the agent", () => {
    expect(messageActivity(address, { id: 'm-1', text: 'Hello <b>there</b>', authorName: 'Ana', now: 0 })).toMatchObject({
      type: 'message',
      text: 'Hello <b>there</b>',
      textFormat: 'plain',
      from: { id: 'baton:web-chat', name: 'Ana' },
      recipient: { id: '28:bot', name: 'Helper' },
    });
  });
});
