// Configuration from the environment. A secret comes from NAME_FILE (a file the container gets as a compose secret)
// or, for development only, NAME. Every problem names the variable; no value is ever echoed.
import { readFileSync } from "node:fs";

export interface Config {
  port: number;
  shutdownTimeoutMs: number;
  testEndpoints: boolean;
  postgres: { host: string; port: number; database: string; user: string; password: string; poolSize: number };
  redis: { host: string; port: number; user: string; password: string; productTtlSeconds: number };
  kafka: { brokers: string[]; user: string; password: string; ordersTopic: string; clientId: string };
  readyTimeoutMs: number;
}

export type Env = Record<string, string | undefined>;
export type ReadFile = (path: string) => string;

export class ConfigError extends Error {}

const defaultReadFile: ReadFile = (path) => readFileSync(path, "utf8");

function text(env: Env, name: string, fallback?: string): string {
  const value = env[name];
  if (value !== undefined && value !== "") return value;
  if (fallback !== undefined) return fallback;
  throw new ConfigError(`${name} is required`);
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got '${raw}'`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function secret(env: Env, name: string, readFile: ReadFile = defaultReadFile, required = true): string | null {
  const file = env[`${name}_FILE`];
  if (file) {
    let value: string;
    try {
      value = readFile(file);
    } catch (error) {
      throw new ConfigError(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
    value = value.replace(/\r?\n$/, "");
    if (value === "") throw new ConfigError(`${name}_FILE: ${file} is empty`);
    return value;
  }
  const value = env[name];
  if (value) return value;
  if (!required) return null;
  throw new ConfigError(`${name}_FILE (or ${name}) is required`);
}

export function loadConfig(env: Env = process.env, readFile: ReadFile = defaultReadFile): Config {
  const brokers = text(env, "KAFKA_BROKERS", "kafka:9092")
    .split(",")
    .map((broker) => broker.trim())
    .filter(Boolean);
  for (const broker of brokers) {
    if (!/^[A-Za-z0-9.-]+:\d+$/.test(broker)) throw new ConfigError(`KAFKA_BROKERS: '${broker}' is not host:port`);
  }
  return {
    port: int(env, "PORT", 3000, 1, 65535),
    shutdownTimeoutMs: int(env, "SHUTDOWN_TIMEOUT_MS", 25000, 1000, 600000),
    testEndpoints: env.API_TEST_ENDPOINTS === "true",
    postgres: {
      host: text(env, "POSTGRES_HOST", "postgres"),
      port: int(env, "POSTGRES_PORT", 5432, 1, 65535),
      database: text(env, "POSTGRES_DB", "pocket_pos"),
      user: text(env, "POSTGRES_USER", "pos_app"),
      password: secret(env, "POSTGRES_PASSWORD", readFile) as string,
      poolSize: int(env, "POSTGRES_POOL_SIZE", 10, 1, 200),
    },
    redis: {
      host: text(env, "REDIS_HOST", "redis"),
      port: int(env, "REDIS_PORT", 6379, 1, 65535),
      user: text(env, "REDIS_USER", "pos-app"),
      password: secret(env, "REDIS_PASSWORD", readFile) as string,
      productTtlSeconds: int(env, "PRODUCT_CACHE_TTL_SECONDS", 60, 1, 86400),
    },
    kafka: {
      brokers,
      user: text(env, "KAFKA_USER", "pos-api"),
      password: secret(env, "KAFKA_PASSWORD", readFile) as string,
      ordersTopic: text(env, "KAFKA_ORDERS_TOPIC", "pos.orders"),
      clientId: text(env, "KAFKA_CLIENT_ID", "pocket-pos-api"),
    },
    readyTimeoutMs: int(env, "READY_TIMEOUT_MS", 2000, 100, 30000),
  };
}

export interface MigrationConfig {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

// The one-shot migration job connects as the database owner (the application's role may not create tables).
export function loadMigrationConfig(env: Env = process.env, readFile: ReadFile = defaultReadFile): MigrationConfig {
  return {
    host: text(env, "POSTGRES_HOST", "postgres"),
    port: int(env, "POSTGRES_PORT", 5432, 1, 65535),
    database: text(env, "POSTGRES_DB", "pocket_pos"),
    user: text(env, "POSTGRES_MIGRATOR_USER", "pos_owner"),
    password: secret(env, "POSTGRES_MIGRATOR_PASSWORD", readFile) as string,
  };
}
