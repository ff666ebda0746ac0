// The entry module koa-fleet's workers load: the same app every contender serves. The cluster
// owns listen(), so the entry only exports the app.
import { createApp } from './koa-app.js';

export default createApp();
