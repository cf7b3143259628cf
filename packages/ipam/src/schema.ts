import type { SqlMigration } from '@fleet/core';

/**
 * Versioned schema, shared by SQLite and PostgreSQL (the few differences are switched on `dialect`).
 * Ranges are stored as 32-digit hex text, so one text index orders IPv4 and IPv6 numerically;
 * (vrf, parent_id, family, start_hex) is unique, which also makes a double assignment impossible
 * even if a caller bypassed the allocator.
 */
export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  version: number;
  name: string;
  sql: (dialect: Dialect) => string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: (d) => {
      const id = d === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'BIGSERIAL PRIMARY KEY';
      const text = d === 'sqlite' ? 'TEXT' : 'TEXT COLLATE "C"';
      const json = d === 'sqlite' ? 'TEXT' : 'JSONB';
      const bigint = d === 'sqlite' ? 'INTEGER' : 'BIGINT';
      return [
        `CREATE TABLE ipam_vrfs (
          name ${text} PRIMARY KEY,
          rd TEXT,
          description TEXT NOT NULL DEFAULT '',
          created_at TEXT NOT NULL
        )`,
        `INSERT INTO ipam_vrfs (name, rd, description, created_at) VALUES ('default', NULL, 'default VRF', '1970-01-01T00:00:00.000Z')`,
        `CREATE TABLE ipam_pools (
          name ${text} PRIMARY KEY,
          vrf ${text} NOT NULL REFERENCES ipam_vrfs(name),
          description TEXT NOT NULL DEFAULT '',
          default_length_v4 INTEGER,
          default_length_v6 INTEGER,
          keep_free ${json} NOT NULL,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        )`,
        `CREATE TABLE ipam_prefixes (
          id ${id},
          vrf ${text} NOT NULL REFERENCES ipam_vrfs(name),
          family INTEGER NOT NULL,
          start_hex ${text} NOT NULL,
          end_hex ${text} NOT NULL,
          length INTEGER NOT NULL,
          kind TEXT NOT NULL,
          parent_id ${bigint} NOT NULL,
          description TEXT NOT NULL,
          function TEXT NOT NULL,
          status TEXT NOT NULL,
          tags ${json} NOT NULL,
          node TEXT,
          expires_at TEXT,
          pool ${text},
          created_at TEXT NOT NULL,
          created_by TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          updated_by TEXT NOT NULL,
          used_size TEXT NOT NULL,
          child_count ${bigint} NOT NULL,
          hint_from ${text} NOT NULL,
          hint_to ${text} NOT NULL
        )`,
        'CREATE UNIQUE INDEX ipam_prefixes_tree ON ipam_prefixes (vrf, parent_id, family, start_hex)',
        'CREATE UNIQUE INDEX ipam_prefixes_range ON ipam_prefixes (vrf, family, start_hex, length)',
        'CREATE INDEX ipam_prefixes_node ON ipam_prefixes (node) WHERE node IS NOT NULL',
        'CREATE INDEX ipam_prefixes_pool ON ipam_prefixes (pool) WHERE pool IS NOT NULL',
        'CREATE INDEX ipam_prefixes_expiry ON ipam_prefixes (expires_at) WHERE expires_at IS NOT NULL',
        `CREATE TABLE ipam_history (
          id ${id},
          at TEXT NOT NULL,
          actor TEXT NOT NULL,
          action TEXT NOT NULL,
          vrf TEXT,
          subject TEXT NOT NULL,
          before ${json},
          after ${json}
        )`,
        'CREATE INDEX ipam_history_subject ON ipam_history (subject, id)',
      ];
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The migrations of one dialect, for the runners in @fleet/core. */
export function migrationsFor(dialect: Dialect): SqlMigration[] {
  return MIGRATIONS.map((m) => ({ version: m.version, name: m.name, sql: m.sql(dialect) }));
}
