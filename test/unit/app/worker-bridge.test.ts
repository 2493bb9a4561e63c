import * as Comlink from 'comlink';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { CancelledError, WorkerBridge } from '../../../src/app/worker-bridge.ts';

/**
 * A stand-in worker on a message channel. Like a browser's, its "terminate" does not take back what it already
 * posted: `later` fires the job's callback after the page has cancelled.
 */
function fakeWorker() {
  let later: (() => void) | null = null;
  let terminated = 0;
  const create = () => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(
      {
        work(onEvent: (step: string) => void): Promise<string> {
          void onEvent('started');
          later = () => void onEvent('late');
          return new Promise(() => undefined); // never finishes on its own
        },
        quick(onEvent: (step: string) => void): string {
          void onEvent('quick');
          return 'done';
        },
        // Its last event reaches the page after its answer, as a proxied callback's port may deliver it.
        lagging(onEvent: (step: string) => void): string {
          setTimeout(() => void onEvent('last'), 10);
          return 'done';
        },
      },
      port2 as unknown as Comlink.Endpoint,
    );
    return Object.assign(port1, { terminate: () => void terminated++ }) as unknown as Worker;
  };
  return { create, fireLate: () => later?.(), terminated: () => terminated };
}

type Api = {
  work(onEvent: (step: string) => void): Promise<string>;
  quick(onEvent: (step: string) => void): string;
  lagging(onEvent: (step: string) => void): string;
};

describe('WorkerBridge', () => {
  it('rejects a cancelled job, stops its worker, and drops the events the worker posted before it stopped', async () => {
    const fake = fakeWorker();
    const bridge = new WorkerBridge<Api>(fake.create);
    const seen: string[] = [];
    const job = bridge.run((api, listen) => api.work(listen((step: string) => seen.push(step))));
    await expect.poll(() => seen).toEqual(['started']);
    bridge.cancel();
    await expect(job).rejects.toBeInstanceOf(CancelledError);
    expect(fake.terminated()).toBe(1);
    fake.fireLate();
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual(['started']);
  });

  it('runs the next job on a fresh worker after a cancel, and cancel with nothing running does nothing', async () => {
    const fake = fakeWorker();
    const bridge = new WorkerBridge<Api>(fake.create);
    bridge.cancel();
    expect(fake.terminated()).toBe(0);
    const first = bridge.run((api, listen) => api.work(listen(() => undefined)));
    const seen: string[] = [];
    const second = bridge.run((api, listen) => api.quick(listen((step: string) => seen.push(step))));
    await new Promise((r) => setTimeout(r, 20));
    bridge.cancel();
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    await expect(second).resolves.toBe('done');
    expect(seen).toEqual(['quick']);
  });

  it('still delivers the events of a job that ended normally when they arrive after its answer', async () => {
    const bridge = new WorkerBridge<Api>(fakeWorker().create);
    const seen: string[] = [];
    await expect(bridge.run((api, listen) => api.lagging(listen((step: string) => seen.push(step))))).resolves.toBe('done');
    await expect.poll(() => seen).toEqual(['last']);
  });
});
