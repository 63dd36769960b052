/**
 * A `handoff.completed` event keeps, beside its trace, the decision's input for replay
 * (`data.input`: every agent's status, load and last assignment, the contact's properties). It is
 * internal: the trace is what explains a handoff ("why this came to me", which agents see), while
 * the input is a dump of every colleague's state that only replay, an admin's tool, needs. So it
 * is shown to admins only and never sent to webhook receivers.
 */
export function withoutDecisionInput(type: string, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (type !== 'handoff.completed' || !('input' in data)) return { ...data };
  const { input: _input, ...rest } = data;
  return rest;
}
