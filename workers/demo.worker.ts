/**
 * The demo worker: generates a simulated fleet and imports it into the demo database through the same
 * analyse-and-store path as real files, and plays the simulated CSSM. Kept apart from the import worker so the
 * simulator's code is only loaded when a demo is used.
 */
import * as Comlink from 'comlink';
import { Dexie } from 'dexie';
import { writeTarGz } from '../src/core/archive/tar.ts';
import { describeError } from '../src/core/errors.ts';
import { simulateCssm } from '../src/core/sim/cssm.ts';
import { type CssmLedger, parseLedger } from '../src/core/sim/ledger.ts';
import { fleetFiles } from '../src/core/sim/files.ts';
import { simulateFleet } from '../src/core/sim/fleet.ts';
import type { CssmAnswer, DemoInfo, DemoWorkerApi } from '../src/app/demo-api.ts';
import { fillDemo } from '../src/db/demo.ts';
import { safeName } from '../src/core/words.ts';
import { openWorkbenchDb } from '../src/db/schema.ts';

/** A buffer holding exactly these bytes, to transfer (a view may sit inside a larger buffer). */
function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  return (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
}


const api: DemoWorkerApi = {
  async loadDemo(dbName, options, onProgress) {
    await Dexie.delete(dbName);
    const db = openWorkbenchDb(dbName);
    try {
      const info = await fillDemo(db, options, onProgress);
      onProgress({ phase: 'done', fraction: 1, message: 'Done' });
      return info;
    } finally {
      db.close();
    }
  },

  async demoKit(dbName) {
    const db = openWorkbenchDb(dbName);
    try {
      const info = (await db.kv.get('demo'))?.value as DemoInfo | undefined;
      if (!info) throw new Error('this workspace holds no demo');
      // The same seed and "now" give the same fleet, byte for byte: the kit matches what was imported.
      const fleet = simulateFleet(info);
      const files = await fleetFiles(fleet);
      const bytes = await writeTarGz(files.map((f) => ({ name: `slp-demo/${f.path}`, bytes: f.bytes, mtime: info.now })));
      const buffer = exactBuffer(bytes);
      return Comlink.transfer({ name: `slp-demo-${safeName(info.seed)}-${info.devices}.tar.gz`, bytes: buffer }, [buffer]);
    } finally {
      db.close();
    }
  },

  async simulateCssm(dbName, upload, virtualAccount) {
    const db = openWorkbenchDb(dbName);
    try {
      const saved = await db.kv.get('simulated-cssm');
      if (!saved) return { accepted: false, reason: 'the simulated CSSM exists only in the demo workspace' } satisfies CssmAnswer;
      let ledger: CssmLedger;
      try {
        ledger = parseLedger(saved.value);
      } catch (e) {
        return { accepted: false, reason: describeError(e) };
      }
      const bytes = new Uint8Array(await upload.blob.arrayBuffer());
      // Like CSSM, send a Virtual Account's custom policy with its ACKs (the Cisco default needs no sending).
      const info = (await db.kv.get('demo'))?.value as DemoInfo | undefined;
      const policyFor = (va: string) => {
        const policy = info?.virtualAccounts.find((v) => v.name === va)?.policy;
        return policy?.custom ? policy : null;
      };
      const outcome = await simulateCssm(upload.name, bytes, ledger, { now: Date.now(), virtualAccount: virtualAccount ?? undefined, policyFor });
      if (!outcome.accepted) return outcome;
      await db.transaction('rw', [db.kv, db.events], async () => {
        await db.kv.put({ key: 'simulated-cssm', value: outcome.ledger });
        await db.events.add({ at: Date.now(), type: 'simulated-cssm', file: null, message: `Simulated CSSM acknowledged ${upload.name}: ${outcome.acknowledged} reports from ${outcome.devices} device files` });
      });
      const buffer = exactBuffer(outcome.bytes);
      const answer: CssmAnswer = { accepted: true, name: outcome.name, bytes: buffer, kind: outcome.kind, devices: outcome.devices, acknowledged: outcome.acknowledged };
      return Comlink.transfer(answer, [buffer]);
    } finally {
      db.close();
    }
  },
};

Comlink.expose(api);
