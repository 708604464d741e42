// A Content-Security-Policy with a fresh nonce on every request. Next.js reads the nonce from the request's CSP
// header and puts it on the scripts it renders, so 'strict-dynamic' lets them (and what they load) run while
// any injected inline script does not. WEB_CSP_EXTRA widens the policy per directive (lib/security.ts).
import { NextResponse, type NextRequest } from "next/server";
import { buildCsp, parseExtra } from "./lib/security";

export function middleware(request: NextRequest): NextResponse {
  const nonce = btoa(crypto.randomUUID());
  const csp = buildCsp(parseExtra(process.env.WEB_CSP_EXTRA), nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Every route but Next's own static files.
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
