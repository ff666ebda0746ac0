#!/usr/bin/env node
// The bin is this committed file, not dist/cli.js itself, so `pnpm install` in a fresh clone can
// link it before anything is built (as packages/cluster/bin/koa-fleet.js does).
import '../dist/cli.js';
