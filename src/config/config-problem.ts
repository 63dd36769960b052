import type { ErrorDetail } from '../contract/common.js';

/**
 * One problem (or warning) in a workspace document: the path as users read it
 * (`handoff.rules[2].then.destination.queue`) and, when the source text is known, where it is.
 * Assignable to the contract's `ErrorDetail`, so HTTP and the CLI report it unchanged.
 */
export interface ConfigProblem extends ErrorDetail {
  /** 1-based line in the source text. */
  readonly line?: number;
  /** 1-based column in the source text. */
  readonly column?: number;
}

/** Keys of a path as walked: object keys and array indexes. */
export type PathKey = string | number;
