// The browser tests load the built site from web/dist (as `npm start` serves it): build it once
// per run when it is missing or older than its sources.
import { ensureWebBuild } from '../../scripts/build-web.js';

export function setup() {
  ensureWebBuild({ quiet: true, log: (line) => console.log(`[web] ${line}`) });
}
