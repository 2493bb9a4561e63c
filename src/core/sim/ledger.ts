/**
 * The simulated CSSM's memory (`slp-sim-cssm-ledger/1`, docs/formats.md): what it has received, so that it can
 * reject duplicates as CSSM does. Kept apart from the simulator so the page can read a ledger without loading it.
 */
export interface CssmLedger {
  format: 'slp-sim-cssm-ledger/1';
  smartAccount: { name: string; id: string };
  /** The Virtual Accounts that exist in the Smart Account. */
  virtualAccounts: string[];
  /** Report IDs received, per device UDI key. */
  received: Record<string, string[]>;
  uploads: Array<{ name: string; sha256: string; at: number; virtualAccounts: string[]; reports: number; ack: string }>;
}

/** A simulated CSSM that has received nothing yet, for one Smart Account and its Virtual Accounts. */
export function emptyLedger(smartAccount: { name: string; id: string }, virtualAccounts: string[]): CssmLedger {
  return { format: 'slp-sim-cssm-ledger/1', smartAccount, virtualAccounts, received: {}, uploads: [] };
}

/** Reads a ledger saved as JSON, or says why it cannot. */
export function parseLedger(json: unknown): CssmLedger {
  const o = json as Partial<CssmLedger> | null;
  if (!o || o.format !== 'slp-sim-cssm-ledger/1' || !o.smartAccount || !Array.isArray(o.virtualAccounts) || !o.received || !Array.isArray(o.uploads)) {
    throw new Error('not a simulated CSSM state file (format "slp-sim-cssm-ledger/1")');
  }
  return o as CssmLedger;
}

