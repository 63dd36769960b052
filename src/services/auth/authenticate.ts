import type { CreateTokenInput, LoginInput, Me, TokenScope } from '../../contract/api.js';
import type { Credentials, Principal } from './principal.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { hashPassword, hashToken, newToken, safeEqual, verifyPassword } from '../../platform/secrets.js';
import {
  createApiToken,
  createSession,
  createWidgetSession,
  deleteSession,
  findActiveApiToken,
  findSession,
  findWidgetSession,
  getPasswordHash,
  touchApiToken,
} from '../../store/repositories/users.js';
import { withTransaction } from '../../store/database.js';
import type { ServiceContext } from '../context.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { getUserAccess, recordSignIn } from '../../store/repositories/invitations.js';
import type { Executor } from '../../store/database.js';

const SESSION_TTL_MS = 7 * 24 * 3_600_000;
const CUSTOMER_TTL_MS = 30 * 24 * 3_600_000;
/** Token `last_used_at` is written at most this often, so reads do not become writes. */
const TOUCH_EVERY_MS = 60_000;

/** Who the credentials belong to, or null. Bearer first (integrations), then the session cookie. */
export async function authenticate(ctx: ServiceContext, credentials: Credentials): Promise<Principal | null> {
  const { db } = ctx.database;
  const now = ctx.clock.now();
  if (credentials.bearer) {
    const bearer = credentials.bearer;
    if (ctx.env.BATON_ADMIN_TOKEN && safeEqual(bearer, ctx.env.BATON_ADMIN_TOKEN)) return { kind: 'admin_token' };
    const hash = hashToken(bearer);
    if (bearer.startsWith('bc_')) {
      const session = await findWidgetSession(db, hash, now);
      return session ? { kind: 'customer', contactId: session.contactId, channelId: session.channelId } : null;
    }
    const token = await findActiveApiToken(db, hash);
    if (!token || token.userId === null) return null;
    const { model } = await ctx.workspace.current();
    const user = model.users.get(token.userId);
    if (!user) return null;
    // Deactivation stops a user's tokens on their next request.
    if (await isDeactivated(db, user.id)) return null;
    if (token.lastUsedAt === null || now - token.lastUsedAt > TOUCH_EVERY_MS) await touchApiToken(db, token.id, now);
    const scopes = token.scopes as TokenScope[];
    return { kind: 'user', userId: user.id, role: user.role, scopes, ...(scopes.includes('bot') ? { channels: token.channels ?? [] } : {}) };
  }
  if (credentials.session) {
    const session = await findSession(db, hashToken(credentials.session), now);
    if (!session) return null;
    const { model } = await ctx.workspace.current();
    const user = model.users.get(session.userId);
    if (!user || (await isDeactivated(db, user.id))) return null;
    return { kind: 'user', userId: user.id, role: user.role, scopes: 'all' };
  }
  return null;
}

async function isDeactivated(ex: Executor, userId: string): Promise<boolean> {
  return ((await getUserAccess(ex, userId))?.deactivatedAt ?? null) !== null;
}

/**
 * A new session for the user (sign-in, an accepted invitation, the first-run setup), in the
 * caller's transaction when given one; the sign-in is recorded ("never signed in" on the users
 * screen). The token is returned once; only its hash is stored.
 */
export async function openSession(ex: Executor, userId: string, now: number): Promise<{ token: string; expiresAt: number }> {
  const token = newToken('bs');
  const expiresAt = now + SESSION_TTL_MS;
  await createSession(ex, { userId, tokenHash: hashToken(token), now, expiresAt });
  await recordSignIn(ex, userId, now);
  return { token, expiresAt };
}

let decoy: Promise<string> | null = null;
const decoyHash = (): Promise<string> => (decoy ??= hashPassword(newToken('bs')));

/** Password sign-in. The same answer for an unknown email and a wrong password. */
export async function logIn(ctx: ServiceContext, input: LoginInput): Promise<{ token: string; me: Me; expiresAt: number }> {
  const { model } = await ctx.workspace.current();
  const email = input.email.toLowerCase();
  const user = [...model.users.values()].find((u) => u.email.toLowerCase() === email);
  const stored = user ? await getPasswordHash(ctx.database.db, user.id) : null;
  // Verify against a decoy hash when there is no account, so an unknown email takes as long as
  // a wrong password and the answer time does not reveal which emails exist.
  const ok = (await verifyPassword(input.password, stored ?? (await decoyHash()))) && stored !== null;
  if (!user || !ok) throw new BatonError('unauthorized', 'wrong email or password');
  // Only told once the password is right, so the answer reveals nothing to a guesser.
  if (await isDeactivated(ctx.database.db, user.id)) throw new BatonError('unauthorized', 'this account has been deactivated; ask an admin to reactivate it');
  const { token, expiresAt } = await withTransaction(ctx.database, (trx) => openSession(trx, user.id, ctx.clock.now()));
  return { token, me: { id: user.id, name: user.name, email: user.email, role: user.role }, expiresAt };
}

export async function logOut(ctx: ServiceContext, sessionToken: string | null): Promise<void> {
  if (!sessionToken) return;
  await deleteSession(ctx.database.db, hashToken(sessionToken));
  ctx.afterCommit({ kind: 'signed_out' });
}

export async function describeMe(ctx: ServiceContext, principal: Principal): Promise<Me> {
  if (principal.kind === 'admin_token') return { id: 'admin-token', name: 'Bootstrap admin token', email: '', role: 'admin' };
  if (principal.kind === 'customer') throw new BatonError('forbidden', 'customer tokens have no user');
  const { model } = await ctx.workspace.current();
  const user = model.users.get(principal.userId);
  if (!user) throw notFound('user', principal.userId);
  return { id: user.id, name: user.name, email: user.email, role: user.role };
}

/** An API token that acts as `userId`. Only its hash is stored; the token is returned once. */
export async function createUserToken(
  ctx: ServiceContext,
  userId: string,
  input: CreateTokenInput,
  actor: string,
): Promise<{ id: string; name: string; userId: string; scopes: TokenScope[]; token: string }> {
  const { model } = await ctx.workspace.current();
  const user = model.users.get(userId);
  if (!user) throw notFound('user', userId);
  if (input.scopes.includes('bot') && input.scopes.length > 1) {
    throw new BatonError('invalid', 'a bot token has only the bot scope: it speaks as the AI agent, not as a person', {
      details: [{ path: 'scopes', message: 'bot is not combined with other scopes' }],
    });
  }
  const bot = input.scopes.includes('bot');
  if (bot && (input.channels === undefined || input.channels.length === 0)) {
    throw new BatonError('invalid', 'a bot token names the channels whose bot it is (channels: [...]); it reaches their conversations only', {
      details: [{ path: 'channels', message: 'required with the bot scope' }],
    });
  }
  if (!bot && input.channels !== undefined) {
    throw new BatonError('invalid', 'only a bot token names channels; a person\'s token reaches what the person does', {
      details: [{ path: 'channels', message: 'only with the bot scope' }],
    });
  }
  const unknownChannel = input.channels?.find((id) => !model.channels.has(id));
  if (unknownChannel !== undefined) {
    throw new BatonError('invalid', `unknown channel "${unknownChannel}"`, { details: [{ path: 'channels', message: `unknown channel "${unknownChannel}"` }] });
  }
  if (input.scopes.includes('admin') && user.role !== 'admin') {
    throw new BatonError('invalid', `user "${userId}" is not an admin; a token cannot have more rights than its user`, {
      details: [{ path: 'scopes', message: 'admin scope needs an admin user' }],
    });
  }
  const token = newToken('bt');
  const now = ctx.clock.now();
  const record = await withTransaction(ctx.database, async (trx) => {
    const created = await createApiToken(trx, {
      userId,
      name: input.name,
      tokenHash: hashToken(token),
      scopes: input.scopes,
      channels: input.channels ?? null,
      now,
    });
    await appendAudit(trx, { actor, action: 'token.created', entity: 'user', entityId: userId, data: { tokenId: created.id, name: input.name, scopes: input.scopes }, now });
    return created;
  });
  return { id: record.id, name: record.name, userId, scopes: [...input.scopes], token };
}

/** A customer session for the widget / in-app SDK: reaches only this contact's conversations. */
export async function createCustomerSession(
  ctx: ServiceContext,
  contactId: string,
  channelId: string,
): Promise<string> {
  const token = newToken('bc');
  const now = ctx.clock.now();
  await createWidgetSession(ctx.database.db, {
    contactId,
    channelId,
    tokenHash: hashToken(token),
    now,
    expiresAt: now + CUSTOMER_TTL_MS,
  });
  return token;
}

export function actorOf(principal: Principal | null): string {
  if (!principal) return 'anonymous';
  switch (principal.kind) {
    case 'user':
      return principal.userId;
    case 'admin_token':
      return 'admin-token';
    case 'customer':
      return `contact:${principal.contactId}`;
  }
}
