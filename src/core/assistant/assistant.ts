/**
 * The built-in AI agent: offline, pure. Given the customer's new message and
 * what came before, it says what it detected (language, intent, frustration, a request for a
 * person, a never-automate topic) and either answers from the knowledge articles or names the
 * handoff trigger. It never decides *where* a handoff goes: that is `decideHandoff`.
 *
 * Built once per workspace revision (`createAssistant`), so the retrieval index and the compiled
 * detectors are reused by every turn.
 */
import type { Trigger } from '../../contract/common.js';
import type { AssistantConfig, KnowledgeConfig } from '../../contract/config.js';
import { articleText } from './article-text.js';
import { cannedReply } from './canned-replies.js';
import { detectFrustration } from './detect-frustration.js';
import { detectHumanRequest } from './detect-human-request.js';
import { detectConversationLanguage } from './detect-language.js';
import { detectSmallTalk, type SmallTalk } from './detect-small-talk.js';
import { topicTerms } from './normalize-text.js';
import { countTurnsWithoutProgress, isRepeatedQuestion } from './count-progress.js';
import { detectUnhelpfulAnswer, withoutFeedback } from './detect-unhelpful-answer.js';
import { createKnowledgeIndex, type KnowledgeIndex } from './knowledge-index.js';
import { createIntentMatcher } from './match-intent.js';
import { createTopicMatcher } from './match-topic.js';

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
  /**
   * Set when a deterministic detector fired (a request for a person, a never-automate topic), as
   * opposed to the built-in agent's own inability to answer (no knowledge match, no progress).
   * These hand off whichever assistant answers the channel — an LLM or a webhook bot included
   * (decide-turn.ts).
   */
  readonly detector?: 'human_request' | 'never_automate';
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
  /** The best article found even below the threshold (for the trace); null when none matched. */
  readonly bestMatch?: KnowledgeAnswer | null;
  /** Set when the message was only a greeting, thanks, acknowledgement or goodbye. */
  readonly smallTalk?: SmallTalk | null;
}

export interface Assistant {
  respond(input: AssistantTurnInput): AssistantTurn;
  /** The `limit` knowledge articles closest to `text`, most confident first (an LLM's grounding). */
  retrieve(text: string, options: { readonly language: string | null; readonly limit: number }): KnowledgeAnswer[];
}

/**
 * One turn, in order:
 * 1. language: `knownLanguage`, else detected from this message plus the customer's last few
 *    messages (detect-language.ts: cue words, accents, franc);
 * 2. detectors on the message alone: a request for a person, a never-automate topic, frustration,
 *    the closest admin intent, small talk;
 * 3. unless it is small talk: knowledge retrieval with a 0…1 confidence (knowledge-index.ts);
 *    a message with no topic word at all ("I need help") gets a question back instead.
 *    When the customer says the previous answer did not help (or repeats their message), the
 *    search runs on their previous question plus whatever this message adds beyond the feedback
 *    phrase, skips the articles already sent, and the turn counts as one without progress;
 * 4. triggers in precedence order. `unsupported_topic` carries one reason: the never-automate
 *    topic, else "no progress after N turns", else "no knowledge match above the threshold".
 *
 * Progress counter (count-progress.ts): a turn without progress — no confident answer, or a
 * question asked before (normalised; "that didn't help" asks the previous one again) — adds 1, an
 * answer to a new question resets it to 0, small talk and hard-handoff turns leave it as it was
 * (the handoff, not the counter, ends the bot's part; hand-back starts a fresh count in the
 * service). Reaching `maxTurnsWithoutProgress` hands off as `unsupported_topic`. `reply` is null
 * exactly when a hard trigger is present.
 */
export function createAssistant(options: AssistantOptions): Assistant {
  const config = options.assistant;
  const knowledge = createKnowledgeIndex(options.knowledge);
  const matchIntent = createIntentMatcher(config.intents);
  const matchTopic = createTopicMatcher(config.neverAutomate);
  const threshold = config.confidenceThreshold;

  return {
    retrieve(text, retrieveOptions) {
      return knowledge.rank(text, retrieveOptions).map((match) => ({
        articleId: match.article.id,
        title: match.article.title,
        text: articleText(match.article.body),
        confidence: match.confidence,
      }));
    },
    respond(input) {
      const contactLines = input.history.filter((line) => line.author === 'contact');
      const language =
        nonEmpty(input.knownLanguage) ??
        detectConversationLanguage(
          input.text,
          contactLines.slice(-LANGUAGE_HISTORY).map((line) => line.body),
        );
      const frustrated = detectFrustration(input.text);
      const intent = matchIntent(input.text);
      const smallTalk = detectSmallTalk(input.text);

      const hard: TriggerCandidate[] = [];
      if (detectHumanRequest(input.text)) {
        hard.push({ trigger: 'customer_requested_human', soft: false, reason: `asked for a person (${quote(input.text)})`, detector: 'human_request' });
      }
      const topic = matchTopic(input.text);
      let unsupported: string | null =
        topic === null ? null : `never-automate topic "${topic.topic}" (${quote(topic.matched)})`;

      let best: KnowledgeAnswer | null = null;
      let answer: KnowledgeAnswer | null = null;
      let unhelpful = false;
      let clarify = false;
      let noAnswer = false;
      let counter = input.turnsWithoutProgress;
      if (smallTalk === null) {
        const lastReply = lastOf(input.history, 'assistant');
        const previousQuestions = findPreviousQuestions(contactLines);
        const previousQuestion = previousQuestions[previousQuestions.length - 1];
        const feedback = lastReply !== undefined && detectUnhelpfulAnswer(input.text);
        // Any earlier question asked again, not only the last one: "A?", "B?", "A?" goes round in a circle.
        unhelpful = feedback || isRepeatedQuestion(input.text, previousQuestions);
        const query =
          feedback && previousQuestion !== undefined ? `${previousQuestion}\n${withoutFeedback(input.text)}` : input.text;
        const searchable = topicTerms(query).length > 0;
        if (searchable) {
          const match = knowledge.search(query, {
            language,
            threshold,
            ...(unhelpful ? { exclude: articlesSent(input.history, knowledge) } : {}),
          });
          if (match !== null) {
            best = {
              articleId: match.article.id,
              title: match.article.title,
              text: articleText(match.article.body),
              confidence: match.confidence,
            };
          }
        }
        const confident = best !== null && best.confidence >= threshold;
        counter = countTurnsWithoutProgress(input.turnsWithoutProgress, { confidentAnswer: confident, repeated: unhelpful, smallTalk: false });
        if (counter >= config.maxTurnsWithoutProgress) {
          unsupported ??= `no progress after ${counter} turns (max ${config.maxTurnsWithoutProgress})`;
        } else if (!searchable) {
          // Nothing to search for ("I need help", "can you help me?"): ask what it is about.
          clarify = true;
        } else if (confident) {
          answer = best;
        } else if (unhelpful || input.turnsWithoutProgress === 0) {
          // The first unanswerable message of a run gets one honest question back — "I found
          // nothing; say more, or ask for a person" — rather than a guess or an instant handoff:
          // the docs/configuration.md scenario ("no puedo entrar en mi cuenta", then "quiero hablar con una
          // persona") is a customer who gets that chance. So does a customer who asks again what
          // was answered already, with nothing new to offer: the count of turns without progress
          // hands them to a person at `maxTurnsWithoutProgress` (a repeat is never a new topic).
          noAnswer = true;
        } else {
          // A second new question in a row that nothing answers: `unsupported_topic` at once.
          unsupported ??=
            best === null
              ? `no knowledge match above ${threshold} (no article matched)`
              : `no knowledge match above ${threshold} (best ${round(best.confidence)} "${best.articleId}")`;
        }
      }
      let reply: string | null = null;
      if (smallTalk !== null) reply = cannedReply(smallTalk, language);
      else if (clarify) reply = cannedReply('clarify', language);
      else if (noAnswer) reply = cannedReply('no_answer', language);
      else if (answer !== null) {
        const intro = cannedReply(unhelpful ? 'retry_intro' : 'answer_intro', language ?? articleLanguage(options, answer));
        reply = `${intro}\n\n${answer.text}`;
      }
      // Unreachable by construction (no small talk and no answer means `unsupported` is set); kept
      // so that no future edit can produce a turn with neither a reply nor a hard trigger.
      if (reply === null) unsupported ??= 'no reply available';
      if (unsupported !== null) {
        // `unsupported` holds the topic's reason whenever a never-automate topic matched (set first, `??=` after).
        hard.push({ trigger: 'unsupported_topic', soft: false, reason: unsupported, ...(topic === null ? {} : { detector: 'never_automate' as const }) });
      }

      const triggers: TriggerCandidate[] = [
        ...hard,
        {
          trigger: 'intent_or_keyword',
          soft: true,
          reason:
            intent === null
              ? 'message text (no intent matched)'
              : `intent "${intent.intent}" (${round(intent.score)}, like ${quote(intent.example)})`,
        },
      ];
      if (frustrated) {
        triggers.push({ trigger: 'negative_sentiment', soft: true, reason: `frustrated (${quote(input.text)})` });
      }

      return {
        language,
        intent: intent?.intent ?? null,
        frustrated,
        triggers,
        answer: hard.length > 0 ? null : answer,
        reply: hard.length > 0 ? null : reply,
        turnsWithoutProgress: hard.length > 0 ? input.turnsWithoutProgress : counter,
        bestMatch: best,
        smallTalk,
      };
    },
  };
}

/** How many of the customer's earlier messages help detect the language of a short one. */
const LANGUAGE_HISTORY = 4;

function nonEmpty(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value;
}

function lastOf(history: readonly TranscriptLine[], author: TranscriptLine['author']): TranscriptLine | undefined {
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const line = history[i];
    if (line?.author === author) return line;
  }
  return undefined;
}

/** Articles the assistant already sent in this conversation: not offered again after "didn't help". */
function articlesSent(history: readonly TranscriptLine[], knowledge: KnowledgeIndex): Set<string> {
  const sent = new Set<string>();
  for (const line of history) {
    if (line.author !== 'assistant') continue;
    const id = knowledge.articleIn(line.body);
    if (id !== null) sent.add(id);
  }
  return sent;
}

/** The customer's real questions, oldest first: not small talk, not "that didn't help". */
function findPreviousQuestions(contactLines: readonly TranscriptLine[]): string[] {
  return contactLines.map((line) => line.body).filter((body) => detectSmallTalk(body) === null && !detectUnhelpfulAnswer(body));
}

function articleLanguage(options: AssistantOptions, answer: KnowledgeAnswer): string {
  return options.knowledge.find((article) => article.id === answer.articleId)?.language ?? 'en';
}

const QUOTE_LENGTH = 80;

/** A message quoted in a reason: one line, at most 80 characters. */
function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `"${line.length > QUOTE_LENGTH ? `${line.slice(0, QUOTE_LENGTH - 1)}…` : line}"`;
}

function round(value: number): string {
  return value.toFixed(2);
}
