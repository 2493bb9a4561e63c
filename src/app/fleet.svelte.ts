import * as Comlink from 'comlink';
import type { ComplianceSummary, DeviceView, FleetQuery, FleetSnapshot, ViewRow } from '../core/model/fleet-index.ts';
import type { EntitlementRow } from '../core/entitlements/summary.ts';
import type { ProductInstance } from '../core/model/fleet.ts';
import type { CalendarMode } from '../core/policy/calendar.ts';
import type { DeadlineStatus } from '../core/policy/deadlines.ts';
import type { DeadlinesSummary } from '../core/policy/deadlines-view.ts';
import type { FleetWorkerApi } from './fleet-api.ts';
import { workspaceName } from './workspace.ts';

/** Rows are fetched in blocks of this many, around the ones in view. */
const BLOCK = 100;
/** The worker (and the devices it holds) is let go this long after the last Fleet view closed. */
const IDLE_MS = 60_000;

/**
 * The page's side of the fleet worker: the counts and menus of the current query, and the blocks of rows the
 * table has asked for. Answers older than the generation shown are dropped, so a slow sort never overwrites the
 * filter typed after it.
 */
export class FleetStore {
  snapshot = $state.raw<FleetSnapshot | null>(null);
  error = $state<string | null>(null);
  /** Blocks of rows of the current generation, by block number. */
  blocks = $state.raw(new Map<number, ViewRow[]>());
  private generation = 0;
  private requested = new Set<number>();
  private range: [number, number] = [0, 0];
  private worker: Worker | null = null;
  private api: Comlink.Remote<FleetWorkerApi> | null = null;
  private users = 0;
  private idle: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly dbName: string) {}

  /** Called by each view that reads the fleet (Fleet, Deadlines, Entitlements) as it opens; returns what to call as it closes. */
  use(): () => void {
    this.users++;
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    if (!this.api) this.start();
    return () => {
      if (--this.users > 0) return;
      this.idle = setTimeout(() => this.stop(), IDLE_MS);
    };
  }

  private start(): void {
    this.worker = new Worker(new URL('../../workers/fleet.worker.ts', import.meta.url), { type: 'module', name: 'fleet' });
    this.api = Comlink.wrap<FleetWorkerApi>(this.worker);
    void this.api
      .open(
        this.dbName,
        Comlink.proxy((generation: number, snapshot: FleetSnapshot) => this.accept(generation, snapshot)),
        Comlink.proxy((message: string) => (this.error = message)),
      )
      .catch((e: unknown) => (this.error = e instanceof Error ? e.message : String(e)));
  }

  private stop(): void {
    this.api?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    this.snapshot = null;
    this.blocks = new Map();
    this.requested.clear();
    this.generation = 0;
  }

  private accept(generation: number, snapshot: FleetSnapshot): void {
    if (generation <= this.generation) return;
    this.generation = generation;
    this.snapshot = snapshot;
    this.blocks = new Map();
    this.requested.clear();
    this.fetch();
  }

  /** Applies a filter and sort (the worker keeps it for later changes of the workspace). */
  async query(q: FleetQuery): Promise<void> {
    if (!this.api) return;
    const { generation, snapshot } = await this.api.view(q);
    // Before the first read of the workspace, the counts are not known yet: keep "Opening…".
    if (this.snapshot === null) {
      this.generation = Math.max(this.generation, generation);
      return;
    }
    this.accept(generation, snapshot);
  }

  /** The table shows rows `first` to `last` (exclusive): fetch the blocks missing. */
  show(first: number, last: number): void {
    this.range = [first, last];
    this.fetch();
  }

  private fetch(): void {
    const api = this.api;
    const count = this.snapshot?.shown ?? 0;
    if (!api || count === 0) return;
    const [first, last] = this.range;
    const from = Math.floor(Math.max(0, first - BLOCK / 2) / BLOCK);
    const to = Math.floor(Math.min(count - 1, last + BLOCK / 2) / BLOCK);
    for (let b = from; b <= to; b++) {
      if (this.requested.has(b)) continue;
      this.requested.add(b);
      void api.rows(b * BLOCK, (b + 1) * BLOCK).then(({ generation, rows }) => {
        // Rows of another generation are dropped: an older one's blocks were cleared when the newer one came, and
        // a newer one's counts are on their way (they clear and fetch again).
        if (generation !== this.generation) return;
        this.blocks = new Map(this.blocks).set(b, rows);
      });
    }
  }

  rowAt(i: number): ViewRow | undefined {
    return this.blocks.get(Math.floor(i / BLOCK))?.[i % BLOCK];
  }

  device(key: string): Promise<DeviceView | null> {
    return this.api ? this.api.device(key) : Promise.resolve(null);
  }

  shownDevices(): Promise<ProductInstance[]> {
    return this.api ? this.api.shownDevices() : Promise.resolve([]);
  }

  csv(): Promise<string> {
    return this.api ? this.api.csv() : Promise.resolve('');
  }

  /** The Deadlines view's summary; null once a newer workspace state is shown (ask again). */
  async deadlines(shown: DeadlineStatus | 'all', now: number, perVa: number): Promise<DeadlinesSummary | null> {
    if (!this.api) return null;
    const { generation, summary } = await this.api.deadlines(shown, now, perVa);
    return generation < this.generation ? null : summary;
  }

  /** The Entitlements view's rows and compliance; null once a newer workspace state is shown (ask again). */
  async entitlements(now: number): Promise<{ rows: Record<string, EntitlementRow[]>; compliance: ComplianceSummary | null } | null> {
    if (!this.api) return null;
    const { generation, rows, compliance } = await this.api.entitlements(now);
    return generation < this.generation ? null : { rows, compliance };
  }

  calendar(mode: CalendarMode, now: number): Promise<string> {
    return this.api ? this.api.calendar(mode, now) : Promise.resolve('');
  }
}

let shared: FleetStore | null = null;

/** The one fleet store of this page, on this page's workspace. */
export function fleetStore(): FleetStore {
  shared ??= new FleetStore(workspaceName);
  return shared;
}
