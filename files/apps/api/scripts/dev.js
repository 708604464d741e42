// Development runner (the image's dev stage): TypeScript in watch mode over the bind-mounted src/, and the API
// under node --watch with the inspector on 0.0.0.0:9229 (published on the host's 127.0.0.1 only), restarted
// whenever a compiled file it loads changes. SIGTERM and SIGINT stop both.
"use strict";
const { spawn } = require("node:child_process");
const { existsSync } = require("node:fs");

const tsc = spawn(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json", "--watch", "--preserveWatchOutput"], {
  stdio: "inherit",
});
let app = null;

const startApp = () => {
  app = spawn(process.execPath, ["--watch", "--inspect=0.0.0.0:9229", "dist/main.js"], { stdio: "inherit" });
  app.on("exit", (code, signal) => {
    tsc.kill("SIGTERM");
    process.exit(signal ? 0 : (code ?? 0));
  });
};

// The first compilation writes dist/main.js; start the API once it is there.
const waitForBuild = setInterval(() => {
  if (existsSync("dist/main.js")) {
    clearInterval(waitForBuild);
    startApp();
  }
}, 250);

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    clearInterval(waitForBuild);
    tsc.kill(signal);
    if (app) app.kill(signal);
    else process.exit(0);
  });
}
