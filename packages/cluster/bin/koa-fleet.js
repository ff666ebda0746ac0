#!/usr/bin/env node
// The bin is this committed file, not dist/cli.js itself, so `pnpm install` in a fresh clone can
// link it before anything is built (it warned "Failed to create bin" once per dependent package).
import '../dist/cli.js';
