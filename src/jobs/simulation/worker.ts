import { parentPort, workerData } from 'node:worker_threads';
import { type RunContext, type RunPart, runPart } from '../../simulation/index.js';
import { contextFor, type SimulationArgs } from './files.js';

/**
 * A worker thread of `lendguard simulate`: reads the run's files once per strategy, then runs the parts the
 * main thread sends, reporting progress and returning each part's totals.
 */
interface Task {
  readonly id: number;
  readonly strategy: number;
  readonly part: RunPart;
}

const data = workerData as { runs: SimulationArgs[] };
const contexts = new Map<number, RunContext>();
const port = parentPort!;

port.on('message', (message: { type: 'task'; task: Task } | { type: 'stop' }) => {
  if (message.type === 'stop') {
    port.close();
    return;
  }
  const { task } = message;
  void (async () => {
    try {
      let ctx = contexts.get(task.strategy);
      if (ctx === undefined) {
        ctx = contextFor(data.runs[task.strategy]!);
        contexts.set(task.strategy, ctx);
      }
      let reported = 0;
      const totals = await runPart(ctx, task.part, (done) => {
        if (done - reported >= 25) {
          port.postMessage({ type: 'progress', n: done - reported });
          reported = done;
        }
      });
      port.postMessage({ type: 'progress', n: task.part.to - task.part.from - reported });
      port.postMessage({ type: 'done', id: task.id, totals });
    } catch (error) {
      port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  })();
});
