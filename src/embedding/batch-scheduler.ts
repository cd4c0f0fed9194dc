// Runs model batches one at a time, queries before bulk work. Between batches
// it yields to the event loop, so a query that arrives (a worker message)
// during a long indexing job runs after the current batch, not after the job.

type Priority = 'high' | 'low';

interface Task {
  run: () => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

const yieldToEventLoop = () => new Promise<void>((r) => setTimeout(r, 0));

export class BatchScheduler {
  private readonly queues: Record<Priority, Task[]> = { high: [], low: [] };
  private running = false;

  schedule<T>(run: () => Promise<T>, priority: Priority): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queues[priority].push({ run, resolve: resolve as (v: unknown) => void, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let first = true; ; first = false) {
        // An idle scheduler runs the first task at once (a lone query pays no delay); between
        // tasks it yields, so messages that arrived meanwhile can queue a query ahead of bulk work.
        if (!first) await yieldToEventLoop();
        const task = this.queues.high.shift() ?? this.queues.low.shift();
        if (!task) break;
        try {
          task.resolve(await task.run());
        } catch (err) {
          task.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
