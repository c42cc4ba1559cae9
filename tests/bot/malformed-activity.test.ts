// Sandbox mode takes unsigned activities from this machine (the Agents Playground's, or anyone's):
// one the bot cannot handle is a 400 with a sentence, not the SDK's 500, and reaches no handler.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { activityProblem } from '../../api/src/teams/activity-shape.js';
import { activities, people, useBotServer } from './support.js';

const bot = useBotServer();

// The refused ones never reach a connector: the address only has to be one.
const whole = (serviceUrl = 'http://127.0.0.1:9/') => activities.message(people.alex, 'help', { serviceUrl });

describe('an activity the bot cannot handle', () => {
  it.each([
    ['not an object', [], 'An activity is a JSON object.'],
    ['no type', { ...whole(), type: undefined }, 'The activity has no type.'],
    ['no from', { ...whole(), from: undefined }, 'The activity has no from.id.'],
    ['an empty from.id', { ...whole(), from: { id: '' } }, 'The activity has no from.id.'],
    ['no recipient', { ...whole(), recipient: null }, 'The activity has no recipient.id.'],
    ['no conversation', { ...whole(), conversation: 'a:1' }, 'The activity has no conversation.id.'],
    ['no serviceUrl', { ...whole(), serviceUrl: undefined }, 'The activity has no serviceUrl'],
    ['a serviceUrl that is not http', { ...whole(), serviceUrl: 'file:///etc/passwd' }, 'no serviceUrl'],
    ['an invoke without a name', { ...whole(), type: 'invoke' }, 'The invoke activity has no name.'],
    [
      'a search without its command',
      { ...whole(), type: 'invoke', name: 'composeExtension/query', value: null },
      'The composeExtension/query invoke has no value.',
    ],
  ])('%s: 400 with what is wrong, and nothing sent to Teams', async (_what, body, sentence) => {
    bot.connector.reset();
    const res = await request(bot.server.url).post('/api/messages').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.message).toContain(sentence);
    expect(bot.connector.calls).toEqual([]);
  });

  it('a body that is not JSON is refused too', async () => {
    const res = await request(bot.server.url)
      .post('/api/messages')
      .set('content-type', 'text/plain')
      .send('type=message');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('An activity is a JSON object.');
  });

  it('a whole activity still reaches the bot', async () => {
    bot.connector.reset();
    const activity = whole(bot.connector.url);
    expect(activityProblem(activity)).toBeNull();
    const res = await request(bot.server.url).post('/api/messages').send(activity);
    expect(res.status).toBe(200);
    expect(bot.connector.calls.length).toBeGreaterThan(0);
  });
});
