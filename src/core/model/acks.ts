import type { AckFile } from '../formats/ack.ts';
import { type AckGrants, type DeviceReports, type ProductInstance, newer } from './fleet.ts';
import { udiKey } from './udi.ts';

/**
 * What an ACK from CSSM changes in the fleet (issue 6, "Reconcile"): the reports it acknowledges are marked so,
 * each device it names gets its last ACK (the ACK's own time, else the import's), and a policy that came with it
 * becomes the device's, with the Smart and Virtual Account it was issued for. Pure; the store calls it inside the
 * import transaction. Matching ACKs to reporting cycles is the cycle's job, on top of this.
 */
export interface AckMergeInput {
  file: string;
  importedAt: number;
  acks: readonly AckFile[];
  /**
   * False for answers to SLAC requests or returns (an authorization cycle knows): they grant codes but are no usage
   * ACK, so they must not move the device's last ACK (nor its reporting deadlines) or its policy. When not given,
   * each ACK says for itself: codes and no acknowledged report make a SLAC answer (`isSlacAnswer`).
   */
  usageAck?: boolean;
}

export interface AckMergeResult {
  devices: ProductInstance[];
  reports: DeviceReports[];
  /** Reports found and marked acknowledged now (already acknowledged ones are not counted again). */
  acknowledged: number;
  /** Report IDs the ACK names that no stored report has (uploaded from elsewhere, or their usage file not imported). */
  unknownReports: number;
  /** Devices the ACK names that the workbench does not know: nothing is recorded for them. */
  unknownDevices: string[];
  warnings: string[];
}

/** Every device key the ACKs name: what the store must read before merging. */
export function ackKeys(acks: readonly AckFile[]): string[] {
  const keys = new Set<string>();
  for (const a of acks) {
    if (a.udi) keys.add(udiKey(a.udi));
    for (const r of a.acknowledged) if (r.udi ?? a.udi) keys.add(udiKey((r.udi ?? a.udi)!));
  }
  return [...keys];
}


/** An answer to a SLAC request: authorization codes, no acknowledged report. */
export function isSlacAnswer(ack: Pick<AckFile, 'acknowledged' | 'authorizationCodes'>): boolean {
  return ack.acknowledged.length === 0 && ack.authorizationCodes.length > 0;
}

/** What an ACK grants one device of it (codes with no UDI belong to the ACK's own device); null when nothing. */
export function grantsFor(ack: AckFile, key: string): AckGrants | null {
  const own = ack.udi ? udiKey(ack.udi) : null;
  const mine = (udi: AckFile['trustCodes'][number]['udi']) => (udi ? udiKey(udi) === key : own === key || own === null);
  const trust = ack.trustCodes.find((t) => mine(t.udi))?.code ?? null;
  const codes = ack.authorizationCodes.filter((c) => mine(c.udi)).map((c) => c.code);
  const subs = own === null || own === key ? ack.subscriptionIds : {};
  if (trust === null && codes.length === 0 && Object.keys(subs).length === 0) return null;
  return { trustCode: trust, authorizationCodes: codes, subscriptionIds: { ...subs } };
}

function combine(old: AckGrants, next: AckGrants): AckGrants {
  return {
    trustCode: next.trustCode ?? old.trustCode,
    authorizationCodes: [...new Set([...old.authorizationCodes, ...next.authorizationCodes])],
    subscriptionIds: { ...old.subscriptionIds, ...next.subscriptionIds },
  };
}

export function mergeAcks(input: AckMergeInput, existingDevices: ReadonlyMap<string, ProductInstance>, existingReports: ReadonlyMap<string, DeviceReports>): AckMergeResult {
  const devices = new Map<string, ProductInstance>();
  const reports = new Map<string, DeviceReports>();
  const unknown = new Set<string>();
  let acknowledged = 0;
  let unknownReports = 0;
  const deviceFor = (key: string): ProductInstance | null => {
    let d = devices.get(key);
    if (d) return d;
    const old = existingDevices.get(key);
    if (!old) {
      unknown.add(key);
      return null;
    }
    d = { ...old, files: old.files.includes(input.file) ? [...old.files] : [...old.files, input.file], updatedAt: input.importedAt };
    devices.set(key, d);
    return d;
  };
  for (const ack of input.acks) {
    // The ACK's own time when it says (ms; a seconds value is scaled), else when it was imported.
    const at = ack.timestamp === null ? input.importedAt : ack.timestamp < 1e11 ? ack.timestamp * 1000 : ack.timestamp;
    const named = new Set<string>();
    if (ack.udi) named.add(udiKey(ack.udi));
    for (const r of ack.acknowledged) {
      const udi = r.udi ?? ack.udi;
      if (!udi) {
        unknownReports++;
        continue;
      }
      const key = udiKey(udi);
      named.add(key);
      if (!deviceFor(key)) continue;
      let list = reports.get(key);
      if (!list) {
        const old = existingReports.get(key);
        list = { key, reports: old ? old.reports.map((x) => ({ ...x })) : [] };
        reports.set(key, list);
      }
      const stored = list.reports.find((x) => x.reportId === r.reportId);
      if (!stored) unknownReports++;
      else if (!stored.acknowledgedBy) {
        stored.acknowledgedBy = { file: input.file, at };
        acknowledged++;
      }
    }
    const usage = input.usageAck ?? !isSlacAnswer(ack);
    for (const key of named) {
      const d = deviceFor(key);
      if (!d) continue;
      if (usage) d.lastAckReceived = newer(d.lastAckReceived, at, input.file, at);
      d.smartAccount = newer(d.smartAccount, ack.smartAccount, input.file, at);
      d.virtualAccount = newer(d.virtualAccount, ack.virtualAccount, input.file, at);
      if (ack.policy && usage) d.policy = newer(d.policy, { ...ack.policy, installedAt: at }, input.file, at);
      const grants = grantsFor(ack, key);
      // Codes accumulate across ACKs (a later ACK with only a trust code must not hide an earlier SLAC).
      if (grants) {
        const was = d.fromAck;
        // The newer ACK's trust code wins; codes from either are kept, whichever came in first.
        d.fromAck = !was ? { value: grants, file: input.file, at } : was.at <= at ? { value: combine(was.value, grants), file: input.file, at } : { ...was, value: combine(grants, was.value) };
      }
    }
  }
  const warnings: string[] = [];
  if (unknown.size) warnings.push(`the ACK names ${unknown.size} device${unknown.size === 1 ? '' : 's'} the workbench does not know (${[...unknown].slice(0, 3).join(', ')}${unknown.size > 3 ? ', …' : ''}): nothing recorded for ${unknown.size === 1 ? 'it' : 'them'}`);
  if (unknownReports) warnings.push(`${unknownReports} acknowledged report${unknownReports === 1 ? ' is' : 's are'} not among the stored reports (their usage files were not imported here)`);
  return { devices: [...devices.values()], reports: [...reports.values()], acknowledged, unknownReports, unknownDevices: [...unknown], warnings };
}
