// The connections to PostgreSQL, Redis and Kafka: created once, closed on shutdown (Nest's onApplicationShutdown,
// after the HTTP server has finished its in-flight requests).
import { Inject, Injectable, Logger, OnApplicationShutdown } from "@nestjs/common";
import Redis from "ioredis";
import { Kafka, logLevel, Producer } from "kafkajs";
import { Pool } from "pg";
import { CONFIG } from "./tokens";
import type { Config } from "./config";

@Injectable()
export class Clients implements OnApplicationShutdown {
  private readonly logger = new Logger("Clients");
  readonly pool: Pool;
  readonly redis: Redis;
  readonly kafka: Kafka;
  readonly producer: Producer;
  private producerConnected: Promise<void> | null = null;

  constructor(@Inject(CONFIG) readonly config: Config) {
    const pg = config.postgres;
    this.pool = new Pool({
      host: pg.host,
      port: pg.port,
      database: pg.database,
      user: pg.user,
      password: pg.password,
      max: pg.poolSize,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
    });
    this.pool.on("error", (error) => this.logger.error(`idle PostgreSQL client: ${error.message}`));
    this.redis = new Redis({
      host: config.redis.host,
      port: config.redis.port,
      username: config.redis.user,
      password: config.redis.password,
      lazyConnect: true,
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
    });
    this.redis.on("error", (error) => this.logger.warn(`Redis: ${error.message}`));
    this.kafka = new Kafka({
      clientId: config.kafka.clientId,
      brokers: config.kafka.brokers,
      sasl: { mechanism: "scram-sha-512", username: config.kafka.user, password: config.kafka.password },
      ssl: false,
      connectionTimeout: 5000,
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => this.logger.warn(`Kafka ${entry.namespace}: ${entry.log.message}`),
    });
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  /** Connects the producer once; a failed attempt is retried by the next caller. */
  async connectedProducer(): Promise<Producer> {
    if (!this.producerConnected) {
      this.producerConnected = this.producer.connect().catch((error: Error) => {
        this.producerConnected = null;
        throw error;
      });
    }
    await this.producerConnected;
    return this.producer;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.producer.disconnect(), this.redis.quit(), this.pool.end()]);
    this.logger.log("connections closed");
  }
}
