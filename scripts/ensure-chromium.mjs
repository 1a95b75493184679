#!/usr/bin/env node
// Browser tests run in Debian's Chromium (no test tool may download its own
// browser here). Installs the `chromium` package when /usr/bin/chromium is missing.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const CHROMIUM = "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) {
  console.log("installing Debian's chromium for the browser tests (about a minute)...");
  const sudo = process.getuid && process.getuid() === 0 ? [] : ["sudo"];
  const run = (args) => spawnSync(sudo.length ? "sudo" : args[0], sudo.length ? args : args.slice(1), { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  let r = run(["apt-get", "update"]);
  if (r.status === 0) r = run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"]);
  if (r.status !== 0 || !existsSync(CHROMIUM)) {
    console.error(`could not install chromium (apt-get exit ${r.status}); install Debian's 'chromium' package and rerun`);
    process.exit(1);
  }
}
