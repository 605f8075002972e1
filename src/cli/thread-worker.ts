/** A helper thread of a Node ThreadPool (src/cli/threads.ts): its messages go to a ThreadHelper. */
import { parentPort, workerData } from 'node:worker_threads';
import { ThreadHelper } from '../core/thread-helper.ts';
import type { AttachMessage, HelperInit } from '../core/threads.ts';

const helper = new ThreadHelper(workerData as HelperInit);
parentPort!.on('message', (message: AttachMessage) => helper.handle(message));
