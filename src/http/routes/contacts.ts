/** Contacts for people (docs/api.md "Conversations": `GET /api/contacts?q=`, `GET /api/contacts/{id}`). */
import { ContactDetail, ContactList, ContactsQuery, IdParams } from '../../contract/api.js';
import { actingUser } from '../../services/access/acting-user.js';
import { listContactsView, readContactView } from '../../services/contacts/read-contacts.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

export function contactRoutes({ ctx }: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/contacts',
      summary: 'Search contacts by name and email, best first (without `q`: newest first); cursor-paginated',
      tags: ['contacts'],
      access: 'user',
      query: ContactsQuery,
      response: ContactList,
      handler: async ({ query }) => listContactsView(ctx, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/contacts/:id',
      summary: 'One contact with their properties and conversations, newest activity first',
      tags: ['contacts'],
      access: 'user',
      params: IdParams,
      response: ContactDetail,
      handler: async ({ params, principal }) =>
        readContactView(ctx, params.id, principal === null || principal.kind === 'customer' ? null : actingUser(principal)),
    }),
  ];
}
