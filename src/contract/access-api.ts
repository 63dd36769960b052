import { dictionary } from '@zxcvbn-ts/language-common';
import { z } from 'zod';

/**
 * REST shapes for people joining the desk (issue 16 §1, docs/api.md "Authentication"): invitations,
 * the first-run setup, password changes, deactivation. One password rule for every way a
 * password is set — accepting an invitation, the setup screen, changing one's own, and
 * `baton user password` — so none is weaker than another.
 */

export const PASSWORD_MIN_LENGTH = 10;
/** scrypt hashes whatever it is given; a bound keeps one request's work and body small. */
export const PASSWORD_MAX_LENGTH = 200;

/**
 * The common-password list of zxcvbn-ts (`@zxcvbn-ts/language-common`, MIT, ~49,000 passwords
 * from leaked-password corpora, bundled — no network): built once, on first use.
 */
let common: ReadonlySet<string> | null = null;
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common']);
  const lower = password.toLowerCase();
  return common.has(lower) || common.has(lower.replace(/\s+/g, ''));
}

export const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `use at most ${PASSWORD_MAX_LENGTH} characters`)
  .refine((password) => password.trim().length >= PASSWORD_MIN_LENGTH, `use at least ${PASSWORD_MIN_LENGTH} characters that are not spaces`)
  .refine((password) => new Set(password).size > 2, 'this password repeats one or two characters; choose one that is harder to guess')
  .refine((password) => !isCommonPassword(password), 'this password is on a list of commonly used passwords; choose another')
  .meta({ description: `At least ${PASSWORD_MIN_LENGTH} characters, not a commonly used password` });
export type NewPassword = z.infer<typeof NewPassword>;

/** A token as handed out (`bi_` + 43 base64url characters); bounded so a long one is refused before hashing. */
const InvitationToken = z.string().min(1, 'the invitation link is incomplete').max(200, 'the invitation link is not valid');

/** `POST /api/users/{id}/invite` and `/reset-password`: the link to give the person, once. */
export const InvitationCreated = z.object({
  url: z.string(),
  expiresAt: z.string(),
  /** True when the link was also emailed (through the outbox, after commit). */
  emailed: z.boolean(),
});
export type InvitationCreated = z.infer<typeof InvitationCreated>;

export const AcceptInviteInput = z.strictObject({ token: InvitationToken, password: NewPassword });
export type AcceptInviteInput = z.infer<typeof AcceptInviteInput>;

export const ChangePasswordInput = z.strictObject({
  current: z.string().min(1, 'enter your current password').max(PASSWORD_MAX_LENGTH),
  password: NewPassword,
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

/** `GET /api/setup`: whether the one-time setup screen applies (no admin can sign in yet). */
export const SetupState = z.object({ needed: z.boolean() });
export type SetupState = z.infer<typeof SetupState>;

export const SetupInput = z.strictObject({
  name: z.string().trim().min(1, 'enter your name').max(200),
  email: z.email('enter a valid email address').max(320),
  password: NewPassword,
  /** The workspace's name when there is no workspace yet. */
  workspaceName: z.string().trim().min(1).max(200).optional(),
});
export type SetupInput = z.infer<typeof SetupInput>;

/**
 * Where a user stands: `invited` (a link is pending, until `invitationExpiresAt`), `active`
 * (can sign in), `deactivated`, or `no_password` (added, never invited or the link expired).
 */
export const AccessState = z.enum(['invited', 'active', 'deactivated', 'no_password']);
export type AccessState = z.infer<typeof AccessState>;

export const UserAccess = z.object({
  userId: z.string(),
  state: AccessState,
  invitationExpiresAt: z.string().nullable(),
  lastSignedInAt: z.string().nullable(),
  deactivatedAt: z.string().nullable(),
});
export type UserAccess = z.infer<typeof UserAccess>;

export const UserAccessList = z.object({ items: z.array(UserAccess) });
export type UserAccessList = z.infer<typeof UserAccessList>;

/** `POST /api/users/{id}/deactivate`: the conversations sent back to their queues. */
export const Deactivated = z.object({ access: UserAccess, released: z.array(z.string()) });
export type Deactivated = z.infer<typeof Deactivated>;
