import assert from "node:assert/strict";
import { test } from "node:test";
import { timed } from "../src/health";
import { JsonLogger, logLine } from "../src/logger";
import { MIGRATIONS, pendingMigrations } from "../src/migrations";

test("log lines are single JSON objects with time, level, context and message", () => {
  const lines: string[] = [];
  const logger = new JsonLogger((line) => lines.push(line));
  logger.log("listening", "Bootstrap");
  logger.error("boom", "trace here", "Orders");
  logger.debug("hidden");
  assert.equal(lines.length, 2);
  const first = JSON.parse(lines[0]);
  assert.equal(first.level, "log");
  assert.equal(first.context, "Bootstrap");
  assert.equal(first.msg, "listening");
  assert.ok(!Number.isNaN(Date.parse(first.time)));
  assert.equal(JSON.parse(lines[1]).stack, "trace here");
  assert.deepEqual(JSON.parse(logLine("log", { msg: "order created", orderId: 3 })).orderId, 3);
});

test("pending migrations: all on an empty database, none after all, refuses unknown ones", () => {
  assert.deepEqual(pendingMigrations([]).map((m) => m.id), MIGRATIONS.map((m) => m.id));
  assert.deepEqual(pendingMigrations(MIGRATIONS.map((m) => m.id)), []);
  assert.deepEqual(pendingMigrations([MIGRATIONS[0].id]).map((m) => m.id), MIGRATIONS.slice(1).map((m) => m.id));
  assert.throws(() => pendingMigrations(["999-future"]), /does not know: 999-future/);
});

test("a check that does not answer in time fails with the timeout", async () => {
  const slow = await timed(() => new Promise((resolve) => setTimeout(resolve, 500)), 50);
  assert.equal(slow.ok, false);
  assert.match((slow as { error: string }).error, /no answer within 50 ms/);
  const fast = await timed(async () => 1, 500);
  assert.equal(fast.ok, true);
  const failing = await timed(async () => {
    throw new Error("refused");
  }, 500);
  assert.deepEqual([failing.ok, (failing as { error: string }).error], [false, "refused"]);
});
