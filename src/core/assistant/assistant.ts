/**
 * The built-in AI agent (PRODUCT.md §10): offline, pure. Given the customer's new message and
 * what came before, it says what it detected (language, intent, frustration, a request for a
 * person, a never-automate topic) and either answers from the knowledge articles or names the
 * handoff trigger. It never decides *where* a handoff goes: that is `decideHandoff`.
 *
 * Built once per workspace revision (`createAssistant`), so the retrieval index and the compiled
 * detectors are reused by every turn.
 */
import type { Trigger } from '../../contract/common.js';
import type { AssistantConfig, KnowledgeConfig } from '../../contract/config.js';
import { detectHumanRequest } from './detect-human-request.js';

export interface AssistantOptions {
  readonly knowledge: readonly KnowledgeConfig[];
  readonly assistant: AssistantConfig;
}

export interface TranscriptLine {
  readonly author: 'contact' | 'assistant' | 'user' | 'system';
  readonly body: string;
}

export interface AssistantTurnInput {
  /** The customer's new message. */
  readonly text: string;
  /** Earlier public messages of the conversation, oldest first (not including `text`). */
  readonly history: readonly TranscriptLine[];
  /** The language set on the contact, if any; it wins over detection. */
  readonly knownLanguage: string | null;
  /** Consecutive turns without progress before this one (stored on the conversation). */
  readonly turnsWithoutProgress: number;
}

export interface KnowledgeAnswer {
  readonly articleId: string;
  readonly title: string;
  readonly text: string;
  /** 0…1; an answer is given only at or above `assistant.confidenceThreshold`. */
  readonly confidence: number;
}

/** A hard trigger always hands off (fallback included); a soft one only when a rule matches. */
export interface TriggerCandidate {
  readonly trigger: Trigger;
  readonly soft: boolean;
  /** Why, in words, for the trace and the handoff context: `asked for a person ("…")`. */
  readonly reason: string;
}

export interface AssistantTurn {
  /** `knownLanguage`, else detected from the customer's words, else null. */
  readonly language: string | null;
  /** The admin intent whose examples this message resembles most, above the threshold. */
  readonly intent: string | null;
  readonly frustrated: boolean;
  /**
   * Triggers in order of precedence: hard first (`customer_requested_human`, then
   * `unsupported_topic`), then soft (`intent_or_keyword` — always offered, so keyword rules on
   * `message.text` can match — and `negative_sentiment` when frustrated).
   */
  readonly triggers: readonly TriggerCandidate[];
  /** The answer when the AI can help; null when it cannot (then a hard trigger is present). */
  readonly answer: KnowledgeAnswer | null;
  /** The reply to send when no handoff happens (answer text, or a greeting/clarification). */
  readonly reply: string | null;
  /** The counter to store for the next turn. */
  readonly turnsWithoutProgress: number;
}

export interface Assistant {
  respond(input: AssistantTurnInput): AssistantTurn;
}

export function createAssistant(options: AssistantOptions): Assistant {
  const neverAutomate = options.assistant.neverAutomate.map((topic) => topic.toLowerCase());
  return {
    respond(input) {
      const triggers: TriggerCandidate[] = [];
      if (detectHumanRequest(input.text)) {
        triggers.push({ trigger: 'customer_requested_human', soft: false, reason: `asked for a person ("${input.text}")` });
      }
      const lower = input.text.toLowerCase();
      const topic = neverAutomate.find((word) => lower.includes(word));
      if (topic !== undefined) {
        triggers.push({ trigger: 'unsupported_topic', soft: false, reason: `never-automate topic "${topic}"` });
      }
      triggers.push({ trigger: 'intent_or_keyword', soft: true, reason: 'message text' });
      return {
        language: input.knownLanguage,
        intent: null,
        frustrated: false,
        triggers,
        answer: null,
        reply: triggers.some((t) => !t.soft) ? null : "I'm not sure I can help with that.",
        turnsWithoutProgress: input.turnsWithoutProgress,
      };
    },
  };
}
