#!/usr/bin/env node
// The `baton` command: runs the built CLI (npm start / npm run build produce dist/).
import('../dist/src/cli/main.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
