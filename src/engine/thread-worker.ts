/**
 * A helper thread of the page's engine (src/engine/threads.ts): a Web Worker started by the
 * engine worker. Its first message is its HelperInit; the others go to its ThreadHelper.
 */
import { ThreadHelper } from '../core/thread-helper.ts';
import type { AttachMessage, HelperInit } from '../core/threads.ts';

let helper: ThreadHelper | undefined;

self.onmessage = (event: MessageEvent<HelperInit | AttachMessage>) => {
  if (!helper) helper = new ThreadHelper(event.data as HelperInit);
  else helper.handle(event.data as AttachMessage);
};
