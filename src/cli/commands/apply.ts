import { readFile } from 'node:fs/promises';
import { configFormatOf } from '../../config/read-config-file.js';
import { BatonError } from '../../platform/errors.js';
import { applyWorkspaceDocument } from '../../services/workspace/apply-workspace-document.js';
import { openStandaloneContext } from '../../services/open-standalone-context.js';
import type { CliIo } from '../io.js';
import { commandEnv } from '../io.js';
import { configFileArg, formatProblem } from './validate.js';

const USAGE = 'usage: baton apply -f baton.yaml [--dry-run] [--summary text]';

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
export async function run(args: string[], io: CliIo): Promise<number> {
  const { path, flags } = configFileArg(args, io, USAGE, ['dry-run']);
  const summary = flags.get('summary');
  if (summary === true) throw new BatonError('invalid', `--summary needs a text\n${USAGE}`, { details: [{ path: '--summary', message: 'required value' }] });
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
        dryRun: flags.get('dry-run') === true,
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
