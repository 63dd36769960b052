import { readFile } from 'node:fs/promises';
import { configFormatOf } from '../../config/read-config-file.js';
import { BatonError } from '../../platform/errors.js';
import { applyWorkspaceDocument } from '../../services/workspace/apply-workspace-document.js';
import { openStandaloneContext } from '../../services/open-standalone-context.js';
import type { CliIo, CommandArgs, CommandSpec } from '../io.js';
import { commandEnv } from '../io.js';
import { configFileArg, FILE_OPTION, formatProblem } from './validate.js';

export const command: CommandSpec = {
  usage: 'usage: baton apply -f baton.yaml [--dry-run] [--summary text]',
  description:
    "Validate a workspace file, then make the workspace on DATABASE_URL's store match it in one transaction\n(a new revision; the rules published when they changed). An invalid file changes nothing and exits 2.",
  options: {
    file: FILE_OPTION,
    'dry-run': { type: 'boolean', description: 'validate against the store only; apply nothing' },
    summary: { type: 'string', value: 'text', description: 'what changed, for the revision and the published rules' },
  },
  maxPositionals: 1,
};

/** Who applied it, for the revision and the audit log. */
export function cliActor(io: CliIo): string {
  const user = io.env.USER ?? io.env.USERNAME;
  return user ? `cli:${user}` : 'cli';
}

/**
 * Validate, then make the workspace on DATABASE_URL's store match the file in one transaction
 * (a new revision; the rules published as a new version when they changed). An invalid file
 * changes nothing and exits 2; `--dry-run` stops after validating.
 */
export async function run(args: CommandArgs, io: CliIo): Promise<number> {
  const path = configFileArg(args, io, command.usage);
  const summary = args.values.summary;
  if (typeof summary !== 'string' && summary !== undefined) throw new BatonError('invalid', `--summary needs a text\n${command.usage}`, { details: [{ path: '--summary', message: 'required value' }] });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    io.err(`${path}: cannot read the file: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const env = commandEnv(io);
  const ctx = await openStandaloneContext({ env, processEnv: io.env });
  try {
    let outcome;
    try {
      outcome = await applyWorkspaceDocument(ctx, {
        source: { text, format: configFormatOf(path) },
        actor: cliActor(io),
        summary: summary ?? null,
        dryRun: args.values['dry-run'] === true,
      });
    } catch (error) {
      if (error instanceof BatonError && error.code === 'invalid') {
        for (const problem of error.details ?? []) io.err(`${formatProblem(problem)}\n`);
        io.err(`${path}: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    for (const warning of outcome.warnings) io.err(`warning: ${formatProblem(warning)}\n`);
    if (outcome.dryRun) {
      io.out('valid; dry run: nothing applied\n');
    } else if (!outcome.changed) {
      io.out(`unchanged: revision ${outcome.revision}, ruleset version ${outcome.rulesetVersion ?? '-'}\n`);
    } else {
      const rules = outcome.publishedVersion === null ? `rules unchanged (version ${outcome.rulesetVersion ?? '-'})` : `published ruleset version ${outcome.publishedVersion}`;
      io.out(`applied: revision ${outcome.revision}; ${rules}\n`);
    }
    return 0;
  } finally {
    await ctx.close();
  }
}
