import { ConfigApplyOutcome, PutConfigQuery, WorkspaceDocumentInput } from '../../contract/admin-api.js';
import { WorkspaceDocument } from '../../contract/api.js';
import { BatonError } from '../../platform/errors.js';
import { applyWorkspaceDocument } from '../../services/workspace/apply-workspace-document.js';
import { actorOf } from '../../services/auth/authenticate.js';
import { readWorkspaceDocument, workspaceDocumentAsYaml } from '../../services/workspace/read-workspace-document.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

/** The YAML media types people send (RFC 9512 registered application/yaml; the others are still common). */
const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

/** The workspace as one document (docs/api.md "Workspace configuration", docs/configuration.md). */
export function configRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/config',
      summary: 'The workspace as a document: JSON, or baton.yaml with Accept: application/yaml',
      tags: ['config'],
      access: 'admin',
      response: WorkspaceDocument,
      handler: async ({ request, reply }) => {
        const current = await readWorkspaceDocument(ctx.database.db);
        if (current === null) throw new BatonError('unavailable', 'the workspace has no configuration yet: apply a baton.yaml');
        const accept = request.headers.accept ?? '';
        if (YAML_TYPES.some((type) => accept.includes(type))) {
          return reply.header('content-type', 'application/yaml; charset=utf-8').send(workspaceDocumentAsYaml(current));
        }
        return reply.send(current.document);
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/config',
      summary: 'Validate and apply a whole workspace document (JSON or YAML); every problem and nothing changed when invalid',
      tags: ['config'],
      access: 'admin',
      writes: true,
      query: PutConfigQuery,
      body: WorkspaceDocumentInput,
      rawBody: YAML_TYPES,
      response: ConfigApplyOutcome,
      handler: async ({ body, query, principal }) => {
        const source = typeof body === 'string' ? { text: body, format: 'yaml' as const } : { value: body };
        return applyWorkspaceDocument(ctx, {
          source,
          actor: actorOf(principal),
          summary: query.summary ?? null,
          dryRun: query.dryRun,
        });
      },
    }),
  ];
}
