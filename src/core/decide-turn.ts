/**
 * One customer message, decided: the AI agent answers, or the conversation is handed off (and
 * where to). Pure; the live path (services/conversations/receive-customer-message.ts) and the simulator both
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

/** Assistants that answer outside this process: an OpenAI-compatible LLM, or the customer's own bot. */
export type ExternalAssistant = 'llm' | 'webhook';

export type TurnDecision =
  /** The conversation is with people (not `bot`): the AI agent stays silent (CW rasa-agent-bot-demo #12). */
  | { readonly kind: 'human' }
  | { readonly kind: 'reply'; readonly turn: AssistantTurn; readonly reply: string }
  /**
   * The channel's assistant is external (`llm`, `webhook`) and nothing deterministic asked for a
   * person: the message goes to it. `turn` carries what the built-in detectors saw (language,
   * intent) for the conversation and for the external assistant's context.
   */
  | { readonly kind: 'defer'; readonly to: ExternalAssistant; readonly turn: AssistantTurn }
  | { readonly kind: 'handoff'; readonly turn: AssistantTurn | null; readonly trace: HandoffTrace; readonly reason: string };

/**
 * - Not in `bot`: nobody automated speaks.
 * - A channel with `assistant: none` hands off every conversation as it arrives (`no_assistant`).
 * - Otherwise the assistant names trigger candidates in precedence order. The first candidate
 *   whose trigger matches an explicit rule wins, so a specific rule for a soft trigger (the
 *   `account-owner` rule on `intent_or_keyword` in docs/configuration.md) beats a hard trigger that only the
 *   fallback would take; when no explicit rule matched, the first hard trigger goes to the
 *   fallback (a hard trigger is never dropped, CW #4271); with no hard trigger the AI answers.
 *
 * - A channel whose assistant is external (`llm`, `webhook`) keeps only the hard triggers of the
 *   deterministic detectors (a request for a person, a never-automate topic: `detector` set) —
 *   they hand off at once, through the same loop, exactly as on a built-in channel. The built-in
 *   agent's own "I cannot answer" (no knowledge match, no progress) is not a trigger there: with
 *   no such hard trigger the message is deferred to the external assistant, which answers or
 *   hands off itself (its `handoff_to_human` tool, or the handoff API). An admin's explicit rule
 *   for a soft trigger (`intent_or_keyword`, `negative_sentiment`) still fires first, as on a
 *   built-in channel: what the rules say should not depend on which assistant answers.
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
  const external: ExternalAssistant | null = channel?.assistant === 'llm' || channel?.assistant === 'webhook' ? channel.assistant : null;
  const candidates = external === null ? turn.triggers : turn.triggers.filter((candidate) => candidate.soft || candidate.detector !== undefined);
  const conversation = {
    ...input.conversation,
    language: input.conversation.language ?? turn.language,
    intent: turn.intent ?? input.conversation.intent,
  };

  let firstHard: { candidate: TriggerCandidate; trace: HandoffTrace } | null = null;
  for (const candidate of candidates) {
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
  if (external !== null) return { kind: 'defer', to: external, turn };
  if (turn.reply === null) throw new Error('the assistant gave neither a reply nor a hard trigger');
  return { kind: 'reply', turn, reply: turn.reply };
}
