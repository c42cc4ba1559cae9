// What most Teams handlers work with: the decision service, who people are, card rendering, what the
// bot remembers, outbound Bot Connector calls, updates of posted messages and the log. Built once in bot.ts and shared.
import type { Logger } from '../log.js';
import type { RequestService } from '../requests/service.js';
import type { CardViews } from './card-views.js';
import type { CopyUpdater } from './copies.js';
import type { Messenger } from './messenger.js';
import type { People } from './people.js';
import type { TeamsStore } from './store.js';

export interface TeamsServices {
  requests: RequestService;
  people: People;
  views: CardViews;
  store: TeamsStore;
  messenger: Messenger;
  /** Updates a posted message, a single card or one slot of a message of several. */
  copies: CopyUpdater;
  log: Logger;
}
