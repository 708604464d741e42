"use strict";
const assert = require("node:assert/strict");
const { test } = require("node:test");
const { apiUrl, formatCents, DEFAULT_API_URL } = require("../lib/config");

test("the API URL defaults to the local stack and loses a trailing slash", () => {
  assert.equal(apiUrl(undefined), DEFAULT_API_URL);
  assert.equal(apiUrl("http://192.168.1.20:8443/api/"), "http://192.168.1.20:8443/api");
});

test("an API URL that is not http(s) is refused, naming the variable", () => {
  assert.throws(() => apiUrl("ftp://pos/api"), /^Error: EXPO_PUBLIC_API_URL must be an http\(s\) URL, got 'ftp:\/\/pos\/api'$/);
});

test("prices are shown in euros", () => {
  assert.equal(formatCents(390), "€3.90");
  assert.throws(() => formatCents(3.9), /must be an integer/);
});
