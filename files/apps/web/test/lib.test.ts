import assert from "node:assert/strict";
import { test } from "node:test";
import { formatCents, formatTime } from "../lib/format";
import { BASE_CSP, buildCsp, parseExtra, securityHeaders } from "../lib/security";

test("the default CSP allows the same origin only and no framing", () => {
  const csp = buildCsp();
  assert.match(csp, /^default-src 'self'; script-src 'self'; /);
  assert.match(csp, /object-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  assert.equal(csp.split("; ").length, Object.keys(BASE_CSP).length);
});

test("extra sources widen one directive at a time; 'none' is replaced", () => {
  const csp = buildCsp(parseExtra("connect-src https://api.example.com; frame-ancestors https://pos.example.com"));
  assert.match(csp, /connect-src 'self' https:\/\/api\.example\.com/);
  assert.match(csp, /frame-ancestors https:\/\/pos\.example\.com/);
  assert.match(csp, /script-src 'self';/);
});

const refused: [string, RegExp][] = [
  ["script-src 'unsafe-inline'", /'unsafe-inline' in script-src is not/],
  ["script-src *", /CSP: \* in script-src is not/],
  ["img-src http://cdn.example.com", /CSP: http:\/\/cdn\.example\.com in img-src is not/],
  ["sandbox allow-scripts", /unknown directive 'sandbox'/],
];
for (const [extra, message] of refused) {
  test(`an unsafe extra source is refused: ${extra}`, () => {
    assert.throws(() => buildCsp(parseExtra(extra)), message);
  });
}

test("a nonce lets the request's own scripts run, and only those", () => {
  const csp = buildCsp({}, "bm9uY2Utbm9uY2Utbm9uY2U=");
  assert.match(csp, /script-src 'self' 'nonce-bm9uY2Utbm9uY2Utbm9uY2U=' 'strict-dynamic';/);
  assert.match(csp, /style-src 'self' 'nonce-bm9uY2Utbm9uY2Utbm9uY2U=';/);
  assert.throws(() => buildCsp({}, "x'; script-src *"), /a nonce is base64/);
});

test("the other security headers are all present", () => {
  const names = securityHeaders().map((header) => header.key);
  assert.deepEqual(names, [
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
  ]);
});

test("money and times are formatted for the till", () => {
  assert.equal(formatCents(810), "€8.10");
  assert.equal(formatCents(0), "€0.00");
  assert.throws(() => formatCents(8.1), /must be an integer/);
  assert.equal(formatTime("2026-11-26T10:00:05Z"), "26/11/2026, 10:00:05");
  assert.throws(() => formatTime("yesterday"), /not a date/);
});
