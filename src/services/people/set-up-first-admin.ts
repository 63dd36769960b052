import { parseConfigValue } from '../../config/parse-config-text.js';
import type { SetupInput } from '../../contract/access-api.js';
import type { Me } from '../../contract/api.js';
import { BatonError } from '../../platform/errors.js';
import { hashPassword } from '../../platform/secrets.js';
import { withTransaction, type Executor } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { lockWorkspace } from '../../store/repositories/workspace-lock.js';
import { listUserStates, setPasswordHash } from '../../store/repositories/users.js';
import { openSession } from '../auth/authenticate.js';
import type { ServiceContext } from '../context.js';
import { joinTransaction } from '../join-transaction.js';
import { applyValidatedConfig } from '../workspace/apply-validated-config.js';
import { editDocument } from '../workspace/edit-directory.js';
import { invalidDocument } from '../workspace/invalid-document.js';
import { readWorkspaceDocument } from '../workspace/read-workspace-document.js';

interface DocumentUser {
  readonly id: string;
  readonly email: string;
  readonly role?: string;
}

function usersOf(document: Readonly<Record<string, unknown>> | null): DocumentUser[] {
  const users = document?.users;
  return Array.isArray(users) ? (users as DocumentUser[]) : [];
}

/**
 * Whether the first-run setup applies: nobody in the workspace has a password yet (a deactivated
 * user's counts too). Stricter than "no admin can sign in": a desk whose admins work only with
 * BATON_ADMIN_TOKEN while agents sign in must not offer its admin seat to whoever opens the app.
 * An operator locked out of a running desk uses `baton user password` instead.
 */
async function isSetupNeeded(ex: Executor, document: Readonly<Record<string, unknown>> | null): Promise<boolean> {
  const users = usersOf(document).map((u) => u.id);
  if (users.length === 0) return true;
  return !(await listUserStates(ex, users)).some((s) => s.hasPassword);
}

export async function readSetupState(ctx: ServiceContext): Promise<{ needed: boolean }> {
  const current = await readWorkspaceDocument(ctx.database.db);
  return { needed: await isSetupNeeded(ctx.database.db, current?.document ?? null) };
}

const alreadySetUp = () => new BatonError('conflict', 'Baton is already set up: sign in, or ask an admin for an invitation');

/** A workspace to start from when there is none (BATON_DEMO=0 on an empty store): one queue, the fallback to it. */
function starterDocument(workspaceName: string): Record<string, unknown> {
  return {
    workspace: { name: workspaceName },
    users: [],
    queues: [{ id: 'support', name: 'Support' }],
    handoff: { fallback: { destination: { queue: 'support' } } },
  };
}

/** A user id from an email's local part, unique among `taken`. */
function idFor(email: string, taken: ReadonlySet<string>): string {
  const base = (email.split('@')[0] ?? '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+|-+$/g, '').slice(0, 56) || 'admin';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

/**
 * The one-time setup: the admin becomes a
 * real user of the workspace document (a new revision, as any directory edit), gets their
 * password and is signed in — one transaction under the workspace lock, which re-checks that setup
 * still applies, so of two concurrent setups exactly one wins and the other gets 409. When the
 * email is already a user's (an operator applied a baton.yaml without passwords), that user is
 * made admin instead of added twice.
 */
export async function setUpFirstAdmin(ctx: ServiceContext, input: SetupInput): Promise<{ token: string; expiresAt: number; me: Me }> {
  // Asked before the password is hashed: the endpoint is public, and on a running desk (the usual
  // case) nobody may make it spend a scrypt hash (32 MiB, tens of milliseconds) per request.
  if (!(await readSetupState(ctx)).needed) throw alreadySetUp();
  const passwordHash = await hashPassword(input.password);
  const result = await withTransaction(ctx.database, async (trx) => {
    await lockWorkspace(trx, ctx.database.dialect);
    const current = await readWorkspaceDocument(trx);
    if (!(await isSetupNeeded(trx, current?.document ?? null))) throw alreadySetUp();
    const document = current?.document ?? starterDocument(input.workspaceName ?? 'Support');
    const users = usersOf(document);
    const existing = users.find((u) => typeof u.email === 'string' && u.email.toLowerCase() === input.email.toLowerCase());
    const id = existing?.id ?? idFor(input.email, new Set(users.map((u) => u.id)));
    const edited =
      existing === undefined
        ? editDocument(document, 'users', { kind: 'add', item: { id, name: input.name, email: input.email, role: 'admin' } })
        : editDocument(document, 'users', { kind: 'update', id, fields: { name: input.name, role: 'admin' } });
    const parsed = parseConfigValue(edited.document, ctx.processEnv);
    if (!parsed.ok) throw invalidDocument('the first admin', parsed.problems);
    await applyValidatedConfig(joinTransaction(ctx, trx), { raw: parsed.raw, actor: 'setup', summary: `setup: first admin ${id}` });
    const now = ctx.clock.now();
    await setPasswordHash(trx, id, passwordHash);
    await appendAudit(trx, { actor: id, action: 'user.setup', entity: 'user', entityId: id, data: { created: existing === undefined }, now });
    const session = await openSession(trx, id, now);
    return { ...session, me: { id, name: input.name, email: input.email, role: 'admin' as const } };
  });
  ctx.workspace.invalidate();
  return result;
}
