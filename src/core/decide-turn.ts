/**
 * One customer message, decided: the AI agent answers, or the conversation is handed off (and
 * where to). Pure; the live path (services/receive-customer-message.ts) and the simulator both
 * call this, so what the simulator shows is what production does.
 */
import type { HandoffTrace } from '../contract/trace.js';
import type { Assistant, AssistantTurn, TranscriptLine, TriggerCandidate } from './assistant/assistant.js';
import { decideHandoff, type HandoffInput } from './handoff.js';

export interface TurnInput extends Omit<HandoffInput, 'trigger' | 'soft' | 'note' | 'messageText'> {
  readonly assistant: Assistant;
  /** The customer's new message. */
  readonly text: string;
  /** Earlier public messages, oldest first. */
  readonly history: readonly TranscriptLine[];
  readonly turnsWithoutProgress: number;
}

export type TurnDecision =
  /** The conversation is with people (not `bot`): the AI agent stays silent (CW rasa-agent-bot-demo #12). */
  | { readonly kind: 'human' }
  | { readonly kind: 'reply'; readonly turn: AssistantTurn; readonly reply: string }
  | { readonly kind: 'handoff'; readonly turn: AssistantTurn | null; readonly trace: HandoffTrace; readonly reason: string };

/**
 * - Not in `bot`: nobody automated speaks.
 * - A channel with `assistant: none` hands off every conversation as it arrives (`no_assistant`).
 * - Otherwise the assistant names trigger candidates in precedence order. The first candidate
 *   whose trigger matches an explicit rule wins, so a specific rule for a soft trigger (the
 *   `account-owner` rule on `intent_or_keyword` in CONFIG.md) beats a hard trigger that only the
 *   fallback would take; when no explicit rule matched, the first hard trigger goes to the
 *   fallback (a hard trigger is never dropped, CW #4271); with no hard trigger the AI answers.
 *
 * `llm` and `webhook` assistants run outside this function (their replies come from elsewhere);
 * until then the built-in agent stands in for them.
 */
export function decideTurn(input: TurnInput): TurnDecision {
  if (input.conversation.status !== 'bot') return { kind: 'human' };
  const channel = input.workspace.channels.get(input.conversation.channelId);

  if (channel?.assistant === 'none') {
    const trace = decideHandoff({ ...input, trigger: 'no_assistant', messageText: input.text, note: null });
    if (trace === null) throw new Error('a hard trigger always yields a handoff');
    return { kind: 'handoff', turn: null, trace, reason: `channel ${channel.id} has no AI agent` };
  }

  const turn = input.assistant.respond({
    text: input.text,
    history: input.history,
    knownLanguage: input.conversation.language ?? input.contact.language,
    turnsWithoutProgress: input.turnsWithoutProgress,
  });
  const conversation = {
    ...input.conversation,
    language: input.conversation.language ?? turn.language,
    intent: turn.intent ?? input.conversation.intent,
  };

  let firstHard: { candidate: TriggerCandidate; trace: HandoffTrace } | null = null;
  for (const candidate of turn.triggers) {
    const trace = decideHandoff({
      ...input,
      conversation,
      trigger: candidate.trigger,
      soft: true,
      messageText: input.text,
      note: null,
    });
    if (trace !== null) return { kind: 'handoff', turn, trace: { ...trace, note: candidate.reason }, reason: candidate.reason };
    if (!candidate.soft && firstHard === null) {
      const fallback = decideHandoff({ ...input, conversation, trigger: candidate.trigger, messageText: input.text, note: candidate.reason });
      if (fallback === null) throw new Error('a hard trigger always yields a handoff');
      firstHard = { candidate, trace: fallback };
    }
  }
  if (firstHard !== null) return { kind: 'handoff', turn, trace: firstHard.trace, reason: firstHard.candidate.reason };
  if (turn.reply === null) throw new Error('the assistant gave neither a reply nor a hard trigger');
  return { kind: 'reply', turn, reply: turn.reply };
}
