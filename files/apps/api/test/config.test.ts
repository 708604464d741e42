import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, loadConfig, loadMigrationConfig, secret } from "../src/config";

const files: Record<string, string> = {
  "/run/secrets/pg": "pg-secret\n",
  "/run/secrets/redis": "redis-secret",
  "/run/secrets/kafka": "kafka-secret\n",
  "/run/secrets/empty": "\n",
};
const readFile = (path: string): string => {
  if (path in files) return files[path];
  throw Object.assign(new Error("missing"), { code: "ENOENT" });
};
const base = {
  POSTGRES_PASSWORD_FILE: "/run/secrets/pg",
  REDIS_PASSWORD_FILE: "/run/secrets/redis",
  KAFKA_PASSWORD_FILE: "/run/secrets/kafka",
};

test("secrets come from *_FILE without the trailing newline, defaults fill the rest", () => {
  const config = loadConfig(base, readFile);
  assert.equal(config.postgres.password, "pg-secret");
  assert.equal(config.redis.password, "redis-secret");
  assert.equal(config.kafka.password, "kafka-secret");
  assert.equal(config.port, 3000);
  assert.deepEqual(config.kafka.brokers, ["kafka:9092"]);
  assert.equal(config.kafka.ordersTopic, "pos.orders");
  assert.equal(config.postgres.user, "pos_app");
  assert.equal(config.testEndpoints, false);
});

test("a *_FILE wins over the plain variable", () => {
  assert.equal(secret({ X_FILE: "/run/secrets/pg", X: "plain" }, "X", readFile), "pg-secret");
  assert.equal(secret({ X: "plain" }, "X", readFile), "plain");
});

const refusals: [string, Record<string, string>, RegExp][] = [
  ["a missing secret", { ...base, KAFKA_PASSWORD_FILE: "" }, /^KAFKA_PASSWORD_FILE \(or KAFKA_PASSWORD\) is required$/],
  ["an unreadable secret file", { ...base, REDIS_PASSWORD_FILE: "/nope" }, /^REDIS_PASSWORD_FILE: cannot read \/nope \(ENOENT\)$/],
  ["an empty secret file", { ...base, POSTGRES_PASSWORD_FILE: "/run/secrets/empty" }, /^POSTGRES_PASSWORD_FILE: \/run\/secrets\/empty is empty$/],
  ["a port that is not a number", { ...base, PORT: "http" }, /^PORT must be a whole number, got 'http'$/],
  ["a port out of range", { ...base, PORT: "70000" }, /^PORT must be between 1 and 65535, got 70000$/],
  ["a broker without a port", { ...base, KAFKA_BROKERS: "kafka:9092,kafka2" }, /^KAFKA_BROKERS: 'kafka2' is not host:port$/],
];
for (const [name, env, message] of refusals) {
  test(`refuses ${name}, naming the variable`, () => {
    assert.throws(() => loadConfig(env, readFile), (error: Error) => error instanceof ConfigError && message.test(error.message));
  });
}

test("the migration job connects as the owner with its own secret", () => {
  const config = loadMigrationConfig({ POSTGRES_MIGRATOR_PASSWORD_FILE: "/run/secrets/pg" }, readFile);
  assert.deepEqual(config, { host: "postgres", port: 5432, database: "pocket_pos", user: "pos_owner", password: "pg-secret" });
  assert.throws(() => loadMigrationConfig({}, readFile), /POSTGRES_MIGRATOR_PASSWORD_FILE \(or POSTGRES_MIGRATOR_PASSWORD\) is required/);
});
