// Schema changes, applied in order at start, once each. Append new steps; never edit an applied one.
import type { Db } from './db.js';

export const migrations: Array<{ id: number; name: string; sql: string }> = [
  {
    id: 1,
    name: 'connections, decisions, audit',
    sql: `
      create table apono_connections (
        tenant_id text not null,
        object_id text not null,
        method text not null,
        apono_user_id text,
        apono_email text,
        apono_name text,
        key_id text not null,
        secret text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (tenant_id, object_id)
      );
      create table decisions (
        idempotency_key text primary key,
        tenant_id text not null,
        object_id text not null,
        request_id text not null,
        action text not null,
        state text not null,
        result jsonb,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create table decision_audit (
        id bigserial primary key,
        at timestamptz not null default now(),
        tenant_id text not null,
        object_id text not null,
        user_email text,
        request_id text not null,
        action text not null,
        reason text,
        outcome text not null,
        error_code text,
        latency_ms integer not null
      );
      create index decision_audit_request on decision_audit (request_id);
      create table oauth_states (
        state text primary key,
        tenant_id text not null,
        object_id text not null,
        verifier text not null,
        created_at timestamptz not null default now()
      );
      create table webhook_events (
        dedupe_key text primary key,
        event_type text not null,
        request_id text not null,
        received_at timestamptz not null default now()
      );
    `,
  },
  {
    id: 2,
    name: 'teams: people, posted cards, known approvers, notices',
    sql: `
    create table teams_users (
      tenant_id text not null,
      aad_object_id text not null,
      email text,
      name text,
      conversation_id text,
      service_url text,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, aad_object_id)
    );
    create index teams_users_email on teams_users (email);
    create table teams_cards (
      id bigserial primary key,
      request_id text not null,
      conversation_id text not null,
      activity_id text not null,
      service_url text not null,
      tenant_id text not null,
      personal boolean not null,
      owner_object_id text not null,
      created_at timestamptz not null default now(),
      unique (conversation_id, activity_id)
    );
    create index teams_cards_request on teams_cards (request_id);
    create table teams_request_approvers (
      request_id text not null,
      tenant_id text not null,
      aad_object_id text not null,
      added_at timestamptz not null default now(),
      primary key (request_id, tenant_id, aad_object_id)
    );
    create table teams_notices (
      request_id text not null,
      kind text not null,
      sent_at timestamptz not null default now(),
      primary key (request_id, kind)
    )
    `,
  },
  {
    id: 3,
    name: 'teams: the Teams user ID (29:...) beside the Entra object ID, for opening 1:1 chats',
    sql: `alter table teams_users add column user_id text`,
  },
  {
    id: 4,
    name: 'teams: when a request reached a final state, so its remembered cards can be pruned later',
    sql: `
    alter table teams_cards add column final_at timestamptz;
    create index teams_cards_final on teams_cards (final_at) where final_at is not null
    `,
  },
  {
    id: 5,
    name: 'what Apono does not say: request ID pairs and webhook facts, and decisions made through this app',
    sql: `
    create table apono_requests (
      key text primary key,
      friendly_id text,
      internal_id text,
      canonical_id text,
      access_flow text,
      approvers jsonb not null default '[]',
      updated_at timestamptz not null default now()
    );
    create index apono_requests_friendly on apono_requests (friendly_id);
    create index apono_requests_internal on apono_requests (internal_id);
    create index apono_requests_canonical on apono_requests (canonical_id);
    create table app_decisions (
      id bigserial primary key,
      request_id text not null,
      tenant_id text not null,
      object_id text not null,
      name text not null,
      email text,
      outcome text not null,
      reason text,
      state text not null,
      decided_at timestamptz not null default now()
    );
    create index app_decisions_request on app_decisions (request_id)
    `,
  },
  {
    id: 6,
    name: 'oauth: the Teams sign-in names of whoever started an Apono sign-in, to match the account it returns',
    sql: `alter table oauth_states add column teams_names jsonb not null default '[]'`,
  },
  {
    id: 7,
    name: 'teams: messages that hold several requests (one card each), with the card each slot shows',
    sql: `
    alter table teams_cards add column slot integer;
    alter table teams_cards add column card jsonb;
    alter table teams_cards add column message_text text;
    alter table teams_cards drop constraint teams_cards_conversation_id_activity_id_key;
    create unique index teams_cards_message_request on teams_cards (conversation_id, activity_id, request_id)
    `,
  },
  {
    id: 8,
    name: 'teams people by UPN too, and approvers the bot cannot reach',
    sql: `
    alter table teams_users add column upn text;
    alter table teams_users add column profile_at timestamptz;
    create index teams_users_upn on teams_users (upn);
    create table teams_unreachable (
      email text primary key,
      reason text not null,
      request_id text not null,
      attempts integer not null default 1,
      first_at timestamptz not null default now(),
      last_at timestamptz not null default now()
    )
    `,
  },
  {
    id: 9,
    name: 'teams notices are claimed, then marked sent: a claim left by a crashed instance is taken over',
    sql: `
    alter table teams_notices add column claimed_at timestamptz not null default now();
    alter table teams_notices alter column sent_at drop not null;
    alter table teams_notices alter column sent_at drop default
    `,
  },
  {
    id: 10,
    name: 'channels the bot is in, and the routes that send new requests to them',
    sql: `
    create table teams_channels (
      conversation_id text primary key,
      tenant_id text not null,
      service_url text not null,
      team_name text,
      channel_name text,
      updated_at timestamptz not null default now()
    );
    create table channel_routes (
      id serial primary key,
      match text not null check (match in ('flow', 'integration', 'resource_type')),
      value text not null,
      conversation_id text not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      unique (match, value, conversation_id)
    )
    `,
  },
  {
    id: 11,
    name: 'each copy remembers when the request it shows was read, so an older read never overwrites a newer one',
    sql: `alter table teams_cards add column shown_version bigint`,
  },
  {
    id: 12,
    name: "reminders: each person's time zone, their one reminder message, and when each request was last reminded",
    sql: `
    alter table teams_users add column time_zone text;
    create table teams_reminders (
      tenant_id text not null,
      aad_object_id text not null,
      conversation_id text not null,
      activity_id text not null,
      service_url text not null,
      updated_at timestamptz not null default now(),
      primary key (tenant_id, aad_object_id)
    );
    create table teams_reminded (
      request_id text not null,
      aad_object_id text not null,
      reminded_at timestamptz not null,
      primary key (request_id, aad_object_id)
    )
    `,
  },
  {
    id: 13,
    name: "send slots: every instance's Bot Connector calls counted in one place, against Teams' limits",
    sql: `
    create table delivery_send_slots (
      scope text not null,
      at timestamptz not null
    );
    create index delivery_send_slots_scope_at on delivery_send_slots (scope, at)
    `,
  },
  {
    id: 14,
    name: "each person's Teams language (their last activity's locale), for the cards the bot sends them unasked",
    sql: `alter table teams_users add column locale text`,
  },
];

/** The advisory lock every instance takes before it looks at or changes the schema. */
export const MIGRATION_LOCK = 7342001;

/**
 * Applies the steps not yet applied, in one transaction under one transaction-level advisory lock
 * taken before anything else, `schema_migrations` itself included: instances starting together on an
 * empty database wait for each other instead of creating the same table at once (which fails one of
 * them on pg_type's unique index). The first applies every step; the others then find them applied.
 * A step that fails rolls the whole run back, and the next start tries again from the same place.
 */
export async function migrate(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      `create table if not exists schema_migrations (id integer primary key, name text not null, applied_at timestamptz not null default now())`,
    );
    const applied = new Set(
      (await tx.query<{ id: number }>('select id from schema_migrations')).map((r) => Number(r.id)),
    );
    for (const step of migrations) {
      if (applied.has(step.id)) continue;
      for (const statement of step.sql
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean))
        await tx.query(statement);
      await tx.query('insert into schema_migrations (id, name) values ($1, $2)', [step.id, step.name]);
    }
  });
}
