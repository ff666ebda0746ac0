// One Koa process: the baseline of every cluster comparison (also what PM2 runs -i N times).
import { createApp, listenFromEnv } from './koa-app.js';

listenFromEnv(createApp());
