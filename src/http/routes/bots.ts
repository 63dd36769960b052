/**
 * Bring your own bot (docs/api.md "Bots"). `POST /api/bots/botframework/{channel}` takes
 * Bot Framework activities; `handoff.initiate` hands the conversation to people and is answered
 * with `handoff.status` (also sent to the bot's Connector). A malformed activity answers 400, as
 * the Bot Connector does; the caller needs an API token with the `bot` scope (README "Bot
 * Framework": Microsoft's JWTs cannot be verified offline).
 */
import { BotActivity, BotChannelParams, BotframeworkAnswer } from '../../contract/bots-api.js';
import { receiveBotframeworkActivity } from '../../services/bots/receive-botframework-activity.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';
import { checkBotChannel } from '../../services/auth/bot-reach.js';

export function botRoutes({ ctx }: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/bots/botframework/:channel',
      summary: 'A Bot Framework activity: handoff.initiate hands off and is answered with handoff.status',
      tags: ['bots'],
      access: 'bot',
      writes: true,
      invalidInputStatus: 400,
      params: BotChannelParams,
      body: BotActivity,
      response: BotframeworkAnswer,
      async handler({ params, body, principal }) {
        checkBotChannel(principal, params.channel);
        return receiveBotframeworkActivity(ctx, { channelId: params.channel, activity: body });
      },
    }),
  ];
}
