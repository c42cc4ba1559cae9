import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { alex, fixedNow, sandboxApp } from './testing.js';

const redirectUri = 'https://app.example.com/api/connection/oauth/callback';

function pkce() {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function setup() {
  let now = fixedNow.getTime();
  const ctx = sandboxApp({ now: () => new Date(now) });
  const advance = (ms: number) => (now += ms);

  async function authorize(params: Record<string, string> = {}) {
    const { verifier, challenge } = pkce();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'teams-app',
      redirect_uri: redirectUri,
      state: 'st-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      login_hint: alex,
      ...params,
    });
    const res = await request(ctx.app).get(`/sandbox/apono/oauth/authorize?${query}`);
    const location = res.headers.location ? new URL(res.headers.location) : null;
    return { res, location, verifier, code: location?.searchParams.get('code') ?? '' };
  }

  const token = (form: Record<string, string>) =>
    request(ctx.app).post('/sandbox/apono/oauth/token').type('form').send(form);

  const redeem = (code: string, verifier: string, extra: Record<string, string> = {}) =>
    token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: 'teams-app',
      code_verifier: verifier,
      ...extra,
    });

  const session = (accessToken: string) =>
    request(ctx.app).get(`${ctx.base}/session`).set('authorization', `Bearer ${accessToken}`);

  return { ...ctx, advance, authorize, token, redeem, session };
}

describe('the sandbox OAuth provider', () => {
  it('issues a code for the hinted user, then tokens the client API accepts as that user', async () => {
    const s = setup();
    const { res, location, code, verifier } = await s.authorize();
    expect(res.status).toBe(302);
    expect(location!.origin + location!.pathname).toBe(redirectUri);
    expect(location!.searchParams.get('state')).toBe('st-1');
    const tokens = await s.redeem(code, verifier).expect(200);
    expect(tokens.headers['cache-control']).toBe('no-store');
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(tokens.body.access_token).toMatch(/^apono-oauth-at-/);
    expect(tokens.body.refresh_token).toMatch(/^apono-oauth-rt-/);
    const me = await s.session(tokens.body.access_token).expect(200);
    expect(me.body.user).toMatchObject({ email: alex, name: 'Alex Wilber' });
    const tasks = await request(s.app)
      .get(`${s.base}/access-requests?scope=MyTasks&statuses=Pending`)
      .set('authorization', `Bearer ${tokens.body.access_token}`)
      .expect(200);
    expect(tasks.body.data.length).toBeGreaterThan(0);
  });

  it('without a known login_hint shows a page of users, with everything escaped', async () => {
    const s = setup();
    const { res } = await s.authorize({ login_hint: '<b>x</b>', state: '"><script>' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('&lt;b&gt;x&lt;/b&gt; is not a sandbox user.');
    expect(res.text).not.toContain('<script>');
    expect(res.text).toContain('login_hint=alexw%40example.com');
    expect(res.text).toContain('Alex Wilber (alexw@example.com)');
  });

  it('refuses a bad client or redirect URI without redirecting, and redirects other errors back', async () => {
    const s = setup();
    expect((await s.authorize({ redirect_uri: 'javascript:alert(1)' })).res.status).toBe(400);
    expect((await s.authorize({ client_id: '' })).res.status).toBe(400);
    const plain = await s.authorize({ code_challenge_method: 'plain' });
    expect(plain.res.status).toBe(302);
    expect(Object.fromEntries(plain.location!.searchParams)).toMatchObject({
      error: 'invalid_request',
      state: 'st-1',
    });
    const implicit = await s.authorize({ response_type: 'token' });
    expect(implicit.location!.searchParams.get('error')).toBe('unsupported_response_type');
  });

  it('checks the PKCE verifier, the redirect URI and the client', async () => {
    const s = setup();
    const { code, verifier } = await s.authorize();
    const wrong = await s.redeem(code, pkce().verifier).expect(400);
    expect(wrong.body).toEqual({
      error: 'invalid_grant',
      error_description: 'code_verifier does not match code_challenge',
    });
    await s.redeem(code, verifier, { redirect_uri: 'https://evil.example/cb' }).expect(400);
    await s.redeem(code, verifier, { client_id: 'other-app' }).expect(400);
    expect((await s.redeem(code, 'short').expect(400)).body.error).toBe('invalid_request');
    // None of the failures spent the code.
    await s.redeem(code, verifier).expect(200);
  });

  it('makes codes single-use and short-lived; a replayed code revokes what it issued', async () => {
    const s = setup();
    const first = await s.authorize();
    const tokens = await s.redeem(first.code, first.verifier).expect(200);
    const replay = await s.redeem(first.code, first.verifier).expect(400);
    expect(replay.body.error).toBe('invalid_grant');
    await s.session(tokens.body.access_token).expect(401);
    await s.token({ grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token }).expect(400);

    const late = await s.authorize();
    s.advance(61_000);
    expect((await s.redeem(late.code, late.verifier).expect(400)).body.error_description).toMatch(/expired/);
  });

  it('expires access tokens, rotates refresh tokens and revokes the family when a spent one returns', async () => {
    const s = setup();
    s.sandbox.oauth.configure({ accessTokenTtlSeconds: 60 });
    const { code, verifier } = await s.authorize();
    const first = (await s.redeem(code, verifier).expect(200)).body;
    expect(first.expires_in).toBe(60);
    s.advance(61_000);
    await s.session(first.access_token).expect(401);

    const second = (
      await s
        .token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: 'teams-app' })
        .expect(200)
    ).body;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    await s.session(second.access_token).expect(200);
    await s
      .token({ grant_type: 'refresh_token', refresh_token: second.refresh_token, client_id: 'other' })
      .expect(400);

    const reuse = await s
      .token({ grant_type: 'refresh_token', refresh_token: first.refresh_token })
      .expect(400);
    expect(reuse.body.error).toBe('invalid_grant');
    await s.session(second.access_token).expect(401);
    await s.token({ grant_type: 'refresh_token', refresh_token: second.refresh_token }).expect(400);
  });

  it('answers RFC 6749 errors for malformed token requests', async () => {
    const s = setup();
    expect((await s.token({ grant_type: 'password' }).expect(400)).body.error).toBe('unsupported_grant_type');
    expect((await s.token({}).expect(400)).body.error).toBe('invalid_request');
    expect((await s.token({ grant_type: 'authorization_code' }).expect(400)).body).toEqual({
      error: 'invalid_request',
      error_description: 'code is required',
    });
    const json = await request(s.app)
      .post('/sandbox/apono/oauth/token')
      .send({ grant_type: 'refresh_token', refresh_token: 'x' })
      .expect(400);
    expect(json.body.error).toBe('invalid_request');
    expect(
      (await s.token({ grant_type: 'refresh_token', refresh_token: 'nope' }).expect(400)).body.error,
    ).toBe('invalid_grant');
  });

  it('lets the admin API change lifetimes and revoke a user', async () => {
    const s = setup();
    await s.admin().put('/api/sandbox/oauth').send({ accessTokenTtlSeconds: 5 }).expect(200);
    const { code, verifier } = await s.authorize();
    const tokens = (await s.redeem(code, verifier).expect(200)).body;
    expect(tokens.expires_in).toBe(5);
    await s.admin().put('/api/sandbox/oauth').send({ accessTokenTtlSeconds: 0 }).expect(400);
    await s.admin().post('/api/sandbox/oauth/revoke').send({ email: alex }).expect(200);
    await s.session(tokens.access_token).expect(401);
    await s.token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }).expect(400);
  });

  it('revokes one access token (RFC 7009) while its refresh token still renews it; a refresh token takes the grant', async () => {
    const s = setup();
    const { code, verifier } = await s.authorize();
    const tokens = (await s.redeem(code, verifier).expect(200)).body;
    const revoke = (token: string) =>
      request(s.app).post('/sandbox/apono/oauth/revoke').type('form').send({ token });
    await revoke(tokens.access_token).expect(200);
    await s.session(tokens.access_token).expect(401);
    const renewed = (
      await s.token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }).expect(200)
    ).body;
    await s.session(renewed.access_token).expect(200);
    await revoke('not-a-token-we-gave').expect(200); // RFC 7009 §2.2: nothing to say about unknown tokens
    await revoke(renewed.refresh_token).expect(200);
    await s.session(renewed.access_token).expect(401);
    await s.token({ grant_type: 'refresh_token', refresh_token: renewed.refresh_token }).expect(400);
    expect((await request(s.app).post('/sandbox/apono/oauth/revoke').type('form').send({})).status).toBe(400);
  });
});
