/**
 * The realtime stream's audiences. The frames' shapes are the contract's
 * (src/contract/realtime.ts), re-exported here for the server's own modules.
 */
export { ClientFrame, RealtimeFrame, RealtimeQuery, StoredFrameType } from '../../contract/realtime.js';

/** Who a stream row is for. */
export const AGENTS = 'agents';
export const userAudience = (userId: string): string => `user:${userId}`;
export const contactAudience = (contactId: string): string => `contact:${contactId}`;
