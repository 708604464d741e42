// Liveness (the process answers) and readiness (PostgreSQL, Redis and Kafka each answer within READY_TIMEOUT_MS).
import { Controller, Get, HttpException, HttpStatus, Injectable, NotFoundException, Query } from "@nestjs/common";
import { Clients } from "./clients";

export type CheckResult = { ok: true; ms: number } | { ok: false; ms: number; error: string };

export async function timed(check: () => Promise<unknown>, timeoutMs: number): Promise<CheckResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Date.now() - started };
  } catch (error) {
    return { ok: false, ms: Date.now() - started, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

@Injectable()
export class HealthService {
  constructor(private readonly clients: Clients) {}

  async ready(): Promise<{ status: "ready" | "not-ready"; checks: Record<string, CheckResult> }> {
    const timeout = this.clients.config.readyTimeoutMs;
    const admin = this.clients.kafka.admin();
    const [postgres, redis, kafka] = await Promise.all([
      timed(() => this.clients.pool.query("SELECT 1"), timeout),
      timed(() => this.clients.redis.ping(), timeout),
      timed(async () => {
        await admin.connect();
        try {
          await admin.fetchTopicMetadata({ topics: [this.clients.config.kafka.ordersTopic] });
        } finally {
          await admin.disconnect();
        }
      }, timeout),
    ]);
    const checks = { postgres, redis, kafka };
    return { status: Object.values(checks).every((check) => check.ok) ? "ready" : "not-ready", checks };
  }
}

@Controller("health")
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly clients: Clients,
  ) {}

  @Get()
  live() {
    return { status: "live" };
  }

  @Get("ready")
  async ready() {
    const result = await this.health.ready();
    if (result.status !== "ready") throw new HttpException(result, HttpStatus.SERVICE_UNAVAILABLE);
    return result;
  }

  /** Test environments only (API_TEST_ENDPOINTS=true): a request that takes ms milliseconds, for shutdown tests. */
  @Get("slow")
  async slow(@Query("ms") ms = "1000") {
    if (!this.clients.config.testEndpoints) throw new NotFoundException();
    const wait = Math.min(Math.max(Number(ms) || 0, 0), 60000);
    await new Promise((resolve) => setTimeout(resolve, wait));
    return { status: "done", ms: wait };
  }
}
