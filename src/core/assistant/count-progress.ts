/**
 * Progress:
 * a turn without progress is one where the assistant had no confident answer, or where the
 * customer asks again (normalised) something they asked before — saying the answer did not help
 * is asking the previous question again. Small talk is neither: it leaves the count as it was.
 * The live path and the simulator both reach this through `decideTurn` → `assistant.respond`.
 */
import { isRepeatedMessage } from './detect-unhelpful-answer.js';

export interface TurnProgress {
  readonly confidentAnswer: boolean;
  readonly repeated: boolean;
  readonly smallTalk: boolean;
}

export function isTurnWithoutProgress(turn: Pick<TurnProgress, 'confidentAnswer' | 'repeated'>): boolean {
  return !turn.confidentAnswer || turn.repeated;
}

export function countTurnsWithoutProgress(before: number, turn: TurnProgress): number {
  if (turn.smallTalk) return before;
  return isTurnWithoutProgress(turn) ? before + 1 : 0;
}

export function isRepeatedQuestion(text: string, previousQuestions: readonly string[]): boolean {
  return previousQuestions.some((previous) => isRepeatedMessage(text, previous));
}
