/**
 * One past handoff decided again (POST /api/replay/handoff): what the rules screen opens from a
 * replay's list — the trace recorded at the handoff and the one the ruleset decides now, side by
 * side. The same replayer as `replayRuleset` (the same `decideHandoff`, from what the handoff
 * recorded); reads only.
 */
import type { ReplayHandoffRequest, ReplayHandoffResult } from '../../contract/replay-api.js';
import { HandoffTrace } from '../../contract/trace.js';
import { BatonError } from '../../platform/errors.js';
import { findEventBySeq } from '../../store/repositories/events.js';
import type { ServiceContext } from '../context.js';
import { chooseRuleset, handoffReplayer, replayItemOf } from './replay-ruleset.js';

export async function replayPastHandoff(
  ctx: ServiceContext,
  request: ReplayHandoffRequest,
): Promise<ReplayHandoffResult> {
  const event = await findEventBySeq(ctx.database.db, request.conversationId, request.seq);
  if (event === null || event.type !== 'handoff.completed')
    throw new BatonError('not_found', 'no such handoff', {
      details: [
        { path: 'seq', message: `conversation ${request.conversationId} has no handoff at ${request.seq}` },
      ],
    });
  const chosen = await chooseRuleset(ctx, request.ruleset);
  const outcome = await handoffReplayer(
    ctx,
    chosen,
  )({
    conversationId: event.conversationId,
    seq: event.seq,
    createdAt: event.createdAt,
    data: event.data,
  });
  const recorded = HandoffTrace.safeParse(event.data.trace);
  return {
    item: replayItemOf(outcome),
    recordedTrace: recorded.success ? recorded.data : null,
    replayedTrace: outcome.kind === 'replayed' ? outcome.trace : null,
  };
}
