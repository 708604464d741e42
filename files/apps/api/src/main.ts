// The API process. SIGTERM (or SIGINT): stop accepting connections, let in-flight requests finish, close the
// PostgreSQL, Redis and Kafka clients, exit 0; if that takes longer than SHUTDOWN_TIMEOUT_MS, exit 1.
import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import { AppModule } from "./app.module";
import { ConfigError, loadConfig } from "./config";
import { JsonLogger, logLine } from "./logger";

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stdout.write(`${logLine("error", `configuration: ${error.message}`, "Bootstrap")}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = new JsonLogger(undefined, process.env.LOG_LEVEL === "debug");
  const app = await NestFactory.create(AppModule.forConfig(config), { logger, bufferLogs: true });
  app.setGlobalPrefix("api");
  app.useLogger(logger);
  const server = await app.listen(config.port, "0.0.0.0");
  server.keepAliveTimeout = 65000;
  logger.log({ msg: "listening", port: config.port }, "Bootstrap");

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: "shutting down", signal }, "Bootstrap");
    const deadline = setTimeout(() => {
      logger.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms`, undefined, "Bootstrap");
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    app
      .close()
      .then(() => {
        logger.log({ msg: "stopped" }, "Bootstrap");
        process.exit(0);
      })
      .catch((error: Error) => {
        logger.error(`shutdown failed: ${error.message}`, error.stack, "Bootstrap");
        process.exit(1);
      });
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void bootstrap();
