// The one-shot migration job: run once per deploy. An advisory lock keeps two jobs from migrating at once; a
// second run finds nothing to do and says so. --dry-run lists the pending migrations and applies none (the
// deploy's check mode). The last line is a JSON summary: {"msg":"migrations done","applied":[...],"dryRun":...}.
// Exit code 0 on success.
import { Client } from "pg";
import { loadMigrationConfig } from "./config";
import { logLine } from "./logger";
import { pendingMigrations } from "./migrations";

const LOCK_ID = 4242_0001;

export async function migrate(dryRun = false): Promise<string[]> {
  const config = loadMigrationConfig();
  const client = new Client({ ...config, connectionTimeoutMillis: 10000 });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_ID]);
    await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
    const applied = (await client.query<{ id: string }>("SELECT id FROM schema_migrations ORDER BY id")).rows.map((row) => row.id);
    const pending = pendingMigrations(applied);
    if (dryRun) return pending.map((migration) => migration.id);
    for (const migration of pending) {
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query("INSERT INTO schema_migrations (id) VALUES ($1)", [migration.id]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${migration.id}: ${(error as Error).message}`);
      }
      process.stdout.write(`${logLine("log", { msg: "migration applied", migration: migration.id }, "Migrate")}\n`);
    }
    return pending.map((migration) => migration.id);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}

if (require.main === module) {
  const dryRun = process.argv.includes("--dry-run");
  migrate(dryRun)
    .then((applied) => {
      process.stdout.write(`${logLine("log", { msg: "migrations done", applied, dryRun }, "Migrate")}\n`);
    })
    .catch((error: Error) => {
      process.stdout.write(`${logLine("error", error.message, "Migrate")}\n`);
      process.exit(1);
    });
}
