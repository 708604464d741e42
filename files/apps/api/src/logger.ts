// JSON lines on standard output, one object per event: what a log collector parses without rules.
import type { LoggerService, LogLevel } from "@nestjs/common";

export type Write = (line: string) => void;

export function logLine(level: LogLevel, message: unknown, context?: string, extra?: Record<string, unknown>): string {
  const entry: Record<string, unknown> = { time: new Date().toISOString(), level, ...(context ? { context } : {}) };
  if (message instanceof Error) {
    entry.msg = message.message;
    entry.stack = message.stack;
  } else if (typeof message === "object" && message !== null) {
    Object.assign(entry, message);
  } else {
    entry.msg = String(message);
  }
  return JSON.stringify({ ...entry, ...extra });
}

export class JsonLogger implements LoggerService {
  constructor(
    private readonly write: Write = (line) => process.stdout.write(`${line}\n`),
    private readonly debugEnabled = false,
  ) {}

  log(message: unknown, context?: string): void {
    this.write(logLine("log", message, context));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.write(logLine("error", message, context, trace ? { stack: trace } : undefined));
  }
  warn(message: unknown, context?: string): void {
    this.write(logLine("warn", message, context));
  }
  debug(message: unknown, context?: string): void {
    if (this.debugEnabled) this.write(logLine("debug", message, context));
  }
  verbose(message: unknown, context?: string): void {
    if (this.debugEnabled) this.write(logLine("verbose", message, context));
  }
}
