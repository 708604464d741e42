// Security headers of every page. The Content-Security-Policy is strict by default (same origin only, scripts
// only with the request's nonce, no inline script otherwise, no framing); extraSources adds origins per directive
// (for example an analytics host), and the nginx role can send a stricter policy in front of it. middleware.ts
// sets the CSP with a fresh nonce per request (Next.js puts it on its own script tags); next.config.ts sets the
// other headers.
export type Directives = Record<string, string[]>;

export const BASE_CSP: Directives = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:"],
  "font-src": ["'self'"],
  "connect-src": ["'self'"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
};

const SOURCE = /^('self'|'none'|data:|https:\/\/[a-z0-9.-]+(:\d+)?|wss:\/\/[a-z0-9.-]+(:\d+)?)$/;

export function buildCsp(extraSources: Directives = {}, nonce?: string, base: Directives = BASE_CSP): string {
  const merged: Directives = Object.fromEntries(Object.entries(base).map(([name, sources]) => [name, [...sources]]));
  if (nonce !== undefined) {
    if (!/^[A-Za-z0-9+/=]{16,}$/.test(nonce)) throw new Error("CSP: a nonce is base64 of at least 16 characters");
    merged["script-src"].push(`'nonce-${nonce}'`, "'strict-dynamic'");
    merged["style-src"].push(`'nonce-${nonce}'`);
  }
  for (const [name, sources] of Object.entries(extraSources)) {
    if (!(name in base)) throw new Error(`CSP: unknown directive '${name}'`);
    for (const source of sources) {
      if (!SOURCE.test(source)) throw new Error(`CSP: ${source} in ${name} is not 'self', 'none', data: or an https/wss origin`);
      if (merged[name].includes("'none'")) merged[name] = [];
      if (!merged[name].includes(source)) merged[name].push(source);
    }
  }
  return Object.entries(merged)
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}

/** Parses WEB_CSP_EXTRA: "connect-src https://api.example.com; img-src https://cdn.example.com". */
export function parseExtra(value: string | undefined): Directives {
  const extra: Directives = {};
  for (const part of (value ?? "").split(";").map((p) => p.trim()).filter(Boolean)) {
    const [name, ...sources] = part.split(/\s+/);
    extra[name] = [...(extra[name] ?? []), ...sources];
  }
  return extra;
}

/** The headers other than the CSP, for every route (next.config.ts). */
export function securityHeaders(): { key: string; value: string }[] {
  return [
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ];
}
