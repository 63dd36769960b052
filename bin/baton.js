#!/usr/bin/env node
// The `baton` command: runs the built CLI (npm start / npm run build produce dist/).
// main() resolves with the exit code once the command is done; `serve` resolves only after a
// signal (SIGINT/SIGTERM) and a clean shutdown. Anything but a status 0-255 is a failure (1).
import('../dist/src/cli/main.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => process.exit(Number.isInteger(code) && code >= 0 && code <= 255 ? code : 1),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
