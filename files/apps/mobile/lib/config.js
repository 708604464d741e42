// Pure helpers of the app (CommonJS, so that node's test runner loads them as they are).
"use strict";

const DEFAULT_API_URL = "https://pos.localhost/api";

/** The API's base URL: EXPO_PUBLIC_API_URL when it is an http(s) URL, else the local stack's. */
function apiUrl(value) {
  if (!value) return DEFAULT_API_URL;
  if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?(\/.*)?$/.test(value)) {
    throw new Error(`EXPO_PUBLIC_API_URL must be an http(s) URL, got '${value}'`);
  }
  return value.replace(/\/$/, "");
}

function formatCents(cents) {
  if (!Number.isInteger(cents)) throw new Error(`an amount in cents must be an integer, got ${cents}`);
  return `€${(cents / 100).toFixed(2)}`;
}

module.exports = { apiUrl, formatCents, DEFAULT_API_URL };
