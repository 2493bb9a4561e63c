import type { CliDeviceFacts, CliParse, CommandId } from '../formats/cli/index.ts';
import { COMMAND_LABELS } from '../formats/cli/index.ts';
import { emptyFacts, type CliDate, type CliFacts, type CliPolicyClass, type SourcedDays } from '../formats/cli/types.ts';
import { DAY } from '../policy/deadlines.ts';
import { policyFromCli } from '../policy/from-cli.ts';
import { type Fact, type ProductInstance, blankDevice, newer } from './fleet.ts';
import type { LicenceClass } from './policy.ts';
import { udiKey } from './udi.ts';

/**
 * The merged picture of one device (capability 2): every fact any source gave, with where it came from, the
 * current value (newest wins) and the sources that disagree. CLI facts are stored per observation (one pasted
 * output of one device), never flattened into "the truth": the picture is computed when it is shown.
 */

/** Where a fact came from: a stored file, the command whose output said it, the line, and when it was true. */
export interface FactSource {
  file: string;
  fileName: string;
  /** `usage-file` for facts of a device usage file. */
  command: CommandId | 'usage-file';
  line: number | null;
  /** ms: the device's own time when the output printed it (`Time source is …`), else the time of the import. */
  at: number;
  /** False when `at` is the import time because the output did not say when it was taken. */
  atFromDevice: boolean;
}

export interface CliObservation {
  source: FactSource;
  facts: CliFacts;
}

/** The CLI observations of one device, oldest first (a Dexie record keyed like `devices`). */
export interface DeviceCliRecord {
  key: string;
  observations: CliObservation[];
}

/** One CLI file's contribution to the store, computed without the store. */
export interface CliMergeInput {
  file: string;
  fileName: string;
  importedAt: number;
  parses: Array<{ path: string[]; parse: CliParse }>;
}

export interface CliMergeResult {
  devices: ProductInstance[];
  records: DeviceCliRecord[];
  newDevices: number;
  observations: number;
  warnings: string[];
}

function sourcedAt(f: CliFacts, importedAt: number): { at: number; atFromDevice: boolean } {
  const t = f.observedAt?.epochMs;
  return t != null ? { at: t, atFromDevice: true } : { at: importedAt, atFromDevice: false };
}


/** The policy as a Fleet column shows it: its name, `Cisco default`, or how the device describes it. */
export function policyLabel(f: CliFacts): string | null {
  const p = f.policy;
  if (!p) return null;
  if (p.name) return p.name;
  const sources = [p.ackRequired?.source, ...Object.values(p.classes).flatMap((c) => [c?.firstReportDays?.source, c?.reportingFrequencyDays?.source, c?.reportOnChangeDays?.source])];
  if (sources.includes('customer')) return 'Custom policy';
  if (sources.includes('cisco-default')) return 'Cisco default';
  return p.inUse;
}

/** `INSTALLED`, `INSTALLED on <date>` → true; `NOT INSTALLED`, `No Trust Data` → false. */
function trustInstalled(status: string): boolean {
  return /INSTALLED/.test(status) && !/NOT INSTALLED/.test(status);
}

/** Applies a device's CLI facts to its fleet record: the columns the Fleet table shows and filters on. */
export function applyCliFacts(d: ProductInstance, f: CliFacts, file: string, at: number): void {
  d.hostname = newer(d.hostname, f.hostname, file, at);
  d.softwareVersion = newer(d.softwareVersion, f.softwareVersion, file, at);
  d.smartAccount = newer(d.smartAccount, f.account?.smartAccount, file, at);
  d.virtualAccount = newer(d.virtualAccount, f.account?.virtualAccount, file, at);
  d.policyName = newer(d.policyName, policyLabel(f), file, at);
  d.transport = newer(d.transport, f.transport?.type, file, at);
  if (f.trustCodes.length || /* `Trust Code Installed: <none>` */ f.usageReporting) {
    const mine = f.trustCodes.find((t) => t.udi && udiKey(t.udi) === d.key) ?? (f.trustCodes.length === 1 ? f.trustCodes[0] : undefined);
    if (mine) d.trustCode = newer(d.trustCode, trustInstalled(mine.status), file, at);
  }
  d.lastAckReceived = newer(d.lastAckReceived, f.usageReporting?.lastAckReceived?.epochMs, file, at);
  d.nextAckDeadline = newer(d.nextAckDeadline, f.usageReporting?.nextAckDeadline?.epochMs, file, at);
  if (f.ha.length > 1) {
    const me = f.ha.find((h) => udiKey(h.udi) === d.key);
    const active = f.ha.find((h) => h.role === 'active');
    if (me) d.ha = newer(d.ha, { role: me.role, activeKey: active ? udiKey(active.udi) : null }, file, at);
  }
  if (f.policy && !f.preSlp) d.policy = newer(d.policy, policyFromCli(f.policy).policy, file, at);
  const reportingRequired = f.events
    .filter((e) => e.name === 'REPORTING_REQUIRED' && e.daysLeft !== null && e.at?.epochMs != null)
    .map((e) => e.at!.epochMs! + e.daysLeft! * DAY)
    .sort((a, b) => b - a)[0];
  d.reportingRequiredBy = newer(d.reportingRequiredBy, reportingRequired, file, at);
  const countdown = f.ackCountdown;
  if (countdown?.days != null && countdown.observedAt?.epochMs != null) d.ackCountdownBy = newer(d.ackCountdownBy, countdown.observedAt.epochMs + countdown.days * DAY, file, at);
  if (f.licenses.length) {
    const inUse = (status: string | null) => !status || (/IN USE/.test(status) && !/NOT IN USE/.test(status));
    d.cliLicences = newer(d.cliLicences, f.licenses.map((l) => ({ name: l.name, tag: l.tag, count: l.count, enforcement: l.enforcement, licenseType: l.licenseType, inUse: inUse(l.status), status: l.status, exportStatus: l.exportStatus })), file, at);
  }
  d.lastHeard = Math.max(d.lastHeard ?? 0, at);
}

/**
 * Merges the devices of parsed CLI files into fleet records and observation records. A device without a UDI in
 * the paste is tied to a known device by its prompt's host name (`byHost`), when exactly one device has it.
 */
export function mergeCli(
  input: CliMergeInput,
  existingDevices: ReadonlyMap<string, ProductInstance>,
  existingRecords: ReadonlyMap<string, DeviceCliRecord>,
  byHost: (host: string) => string | null,
): CliMergeResult {
  const devices = new Map<string, ProductInstance>();
  const records = new Map<string, DeviceCliRecord>();
  const warnings: string[] = [];
  let created = 0;
  let observations = 0;
  const deviceFor = (key: string, udi: { pid: string; sn: string } | null): ProductInstance | null => {
    let d = devices.get(key);
    if (d) return d;
    const old = existingDevices.get(key);
    if (old) d = { ...old, files: [...old.files] };
    else if (udi) {
      d = blankDevice(key, udi, input.importedAt);
      created++;
    } else return null;
    if (!d.files.includes(input.file)) d.files.push(input.file);
    d.updatedAt = input.importedAt;
    devices.set(key, d);
    return d;
  };
  const add = (g: CliDeviceFacts, key: string, line: number | null) => {
    const d = deviceFor(key, g.udi);
    if (!d) return;
    const { at, atFromDevice } = sourcedAt(g.facts, input.importedAt);
    const command = g.commands.length === 1 ? g.commands[0]!.command : mainCommand(g.commands.map((c) => c.command));
    applyCliFacts(d, g.facts, input.file, at);
    let rec = records.get(key);
    if (!rec) {
      const old = existingRecords.get(key);
      rec = { key, observations: old ? [...old.observations] : [] };
      records.set(key, rec);
    }
    rec.observations.push({ source: { file: input.file, fileName: input.fileName, command, line, at, atFromDevice }, facts: g.facts });
    rec.observations.sort((a, b) => a.source.at - b.source.at);
    observations++;
  };
  for (const { parse } of input.parses) {
    for (const pasted of parse.devices) {
      // An IOS prompt is the device's host name: the fact of last resort when no output printed one.
      const g = pasted.facts.hostname || !pasted.host ? pasted : { ...pasted, facts: { ...pasted.facts, hostname: pasted.host } };
      const line = g.commands[0]?.line ?? null;
      if (g.udi) {
        add(g, udiKey(g.udi), line);
        // The members of an HA set are devices too: they learn their role, not the active's facts.
        for (const m of g.facts.ha) {
          const mk = udiKey(m.udi);
          if (mk === udiKey(g.udi)) continue;
          const md = deviceFor(mk, m.udi);
          if (!md) continue;
          const { at } = sourcedAt(g.facts, input.importedAt);
          const active = g.facts.ha.find((h) => h.role === 'active');
          md.ha = newer(md.ha, { role: m.role, activeKey: active ? udiKey(active.udi) : null }, input.file, at);
          // An HA set answers to one host name (the prompt of its active) and sits in one Virtual Account under one
          // policy and transport: its members share those. A trust code is per UDI (seed 003 §1.12): not shared.
          md.hostname = newer(md.hostname, g.facts.hostname, input.file, at);
          md.smartAccount = newer(md.smartAccount, g.facts.account?.smartAccount, input.file, at);
          md.virtualAccount = newer(md.virtualAccount, g.facts.account?.virtualAccount, input.file, at);
          md.policyName = newer(md.policyName, policyLabel(g.facts), input.file, at);
          md.transport = newer(md.transport, g.facts.transport?.type, input.file, at);
          const trust = g.facts.trustCodes.find((t) => t.udi && udiKey(t.udi) === mk);
          if (trust) md.trustCode = newer(md.trustCode, trustInstalled(trust.status), input.file, at);
          md.lastHeard = Math.max(md.lastHeard ?? 0, at);
        }
        continue;
      }
      const key = g.host ? byHost(g.host) : null;
      if (key) {
        add(g, key, line);
        warnings.push(`output under "${g.host}#" names no UDI: tied to ${key}, the one known device with host name "${g.host}"`);
      } else if (g.facts.policy || g.facts.licenses.length || g.facts.usageReporting || g.facts.events.length || g.facts.account) {
        warnings.push(
          `output${g.host ? ` under "${g.host}#"` : ''} (line ${line ?? '?'}) names no device and no known device has that host name: not stored — paste "show license udi" with it`,
        );
      }
    }
    // Syslog lines no output of the paste claims: to the device the line names (UDI) or its sender (host name).
    const byTarget = new Map<string, CliFacts['events']>();
    let lost = 0;
    for (const e of parse.events) {
      const key = e.udi ? udiKey(e.udi) : e.host ? byHost(e.host) : null;
      if (!key || !deviceFor(key, e.udi)) {
        lost++;
        continue;
      }
      byTarget.set(key, [...(byTarget.get(key) ?? []), e]);
    }
    for (const [key, events] of byTarget) {
      const d = devices.get(key)!;
      // The messages' own newest time dates the observation (a syslog line is a fact of that moment).
      const dated = events.filter((e) => e.at?.epochMs != null).sort((a, b) => b.at!.epochMs! - a.at!.epochMs!);
      const facts: CliFacts = { ...emptyFacts(), events, observedAt: dated[0]?.at ?? null };
      add({ udi: d.udi, role: 'standalone', host: null, facts, commands: [{ command: 'syslog', line: events[0]!.line }] }, key, events[0]!.line);
    }
    if (lost) warnings.push(`${lost} syslog message${lost === 1 ? '' : 's'} name${lost === 1 ? 's' : ''} no device the workbench knows (no UDI, no known sender host name): not stored`);
  }
  return { devices: [...devices.values()], records: [...records.values()], newDevices: created, observations, warnings };
}

/** The command that best names a device's observation when several outputs were pasted together. */
function mainCommand(commands: CommandId[]): CommandId {
  const order: CommandId[] = ['tech-support', 'all', 'status', 'summary', 'usage', 'authorization', 'rum', 'air-entities', 'version', 'udi', 'eventlog', 'history'];
  return order.find((c) => commands.includes(c)) ?? commands[0] ?? 'other';
}

// ——— the picture ———

export interface PictureValue {
  value: string;
  source: FactSource;
}

export interface PictureRow {
  group: string;
  label: string;
  /** The newest source's value. */
  current: PictureValue;
  /** Other sources that said something different, newest first. */
  conflicts: PictureValue[];
  /** Sources that agree with the current value, besides it. */
  agreeing: number;
}

const CLASS_LABELS: Record<LicenceClass, string> = {
  unenforcedPerpetual: 'Unenforced perpetual',
  unenforcedSubscription: 'Unenforced subscription',
  enforced: 'Enforced',
  export: 'Export',
};

function dateText(d: CliDate | null | undefined): string | null {
  if (!d) return null;
  return d.iso ? `${d.iso}${d.epochMs === null ? ' (local time)' : ''}` : d.raw;
}

function daysText(v: SourcedDays | null | undefined): string | null {
  if (!v) return null;
  const src = v.source === 'customer' ? 'Customer Policy' : v.source === 'cisco-default' ? 'CISCO default' : null;
  return `${v.days}${src ? ` (${src})` : ''}`;
}

/** A countdown (`in 30 days`) said at a known time, as the date it ends. */
function deadlineText(at: number | null | undefined, days: number | null | undefined): string | null {
  if (at == null || days == null) return null;
  return new Date(at + days * 86_400_000).toISOString().replace(/\.000Z$/, 'Z');
}

const yesNo = (b: boolean | null | undefined) => (b === null || b === undefined ? null : b ? 'yes' : 'no');

/** Every fact of one CLI observation as (group, label, value) rows. */
export function factRows(f: CliFacts): Array<[string, string, string | null]> {
  const rows: Array<[string, string, string | null]> = [
    ['Device', 'Host name', f.hostname],
    ['Device', 'Software version', f.softwareVersion],
    ['Device', 'HA set', f.ha.length > 1 ? f.ha.map((h) => `${h.role}: ${udiKey(h.udi)}`).join('; ') : null],
    ['Device', 'Smart Agent version', f.agentVersion],
    ['Device', 'AIR licence level', f.airLevel?.current ?? null],
    ['Device', 'AIR level after reload', f.airLevel?.nextReload ?? null],
    ['Device', 'Smart Licensing Using Policy', f.preSlp ? `no — ${f.preSlp.evidence}` : yesNo(f.slpEnabled)],
    ['Device', 'Utility mode', yesNo(f.utilityEnabled)],
    ['Account', 'Smart Account', f.account?.smartAccount ?? null],
    ['Account', 'Virtual Account', f.account?.virtualAccount ?? null],
    ['Account', 'Account as of', dateText(f.account?.asOf)],
    ['Reporting', 'Transport', f.transport?.type ?? null],
    ['Reporting', 'Transport URL', f.transport?.url ?? f.transport?.csluAddress ?? null],
    ['Reporting', 'Last ACK received', dateText(f.usageReporting?.lastAckReceived)],
    ['Reporting', 'Next ACK deadline', dateText(f.usageReporting?.nextAckDeadline)],
    ['Reporting', 'Reporting push interval (days)', f.usageReporting?.reportingPushIntervalDays?.toString() ?? null],
    ['Reporting', 'Next report push', dateText(f.usageReporting?.nextReportPush)],
    ['Reporting', 'Last report push', dateText(f.usageReporting?.lastReportPush)],
    ['Reporting', 'Last report file write', dateText(f.usageReporting?.lastReportFileWrite)],
    ['Reporting', 'ACK expected within (9800-CL)', f.ackCountdown?.raw ?? null],
    ['Reporting', 'ACK needed by (9800-CL countdown)', deadlineText(f.ackCountdown?.observedAt?.epochMs, f.ackCountdown?.days)],
    ['Privacy', 'Sending host name', yesNo(f.dataPrivacy?.sendingHostname)],
    ['Privacy', 'Version privacy', yesNo(f.dataPrivacy?.versionPrivacy)],
    ['Policy', 'Policy in use', f.policy?.inUse ?? null],
    ['Policy', 'Policy name', f.policy?.name ?? null],
    ['Policy', 'Reporting ACK required', f.policy?.ackRequired ? `${f.policy.ackRequired.value ? 'yes' : 'no'}${f.policy.ackRequired.source === 'customer' ? ' (Customer Policy)' : f.policy.ackRequired.source ? ' (CISCO default)' : ''}` : null],
  ];
  for (const [cls, label] of Object.entries(CLASS_LABELS) as Array<[LicenceClass, string]>) {
    const c: CliPolicyClass | undefined = f.policy?.classes[cls];
    rows.push(['Policy', `${label}: first report (days)`, daysText(c?.firstReportDays)]);
    rows.push(['Policy', `${label}: reporting frequency (days)`, daysText(c?.reportingFrequencyDays)]);
    rows.push(['Policy', `${label}: report on change (days)`, daysText(c?.reportOnChangeDays)]);
  }
  for (const t of f.trustCodes) {
    rows.push(['Trust code', t.udi ? udiKey(t.udi) : (t.role ?? 'this device'), `${t.status}${t.installedAt ? ` on ${dateText(t.installedAt)}` : ''}`]);
  }
  for (const l of f.licenses) {
    const parts = [l.count !== null ? `count ${l.count}` : null, l.status, l.enforcement, l.licenseType, l.exportStatus].filter(Boolean);
    rows.push(['Licences', l.tag ? `${l.name} · ${l.tag}` : l.name, parts.join(', ') || 'listed']);
  }
  for (const a of f.authorizations) {
    const parts = [a.status, a.installedAt ? `on ${dateText(a.installedAt)}` : null, a.lastConfirmationCode ? `confirmation ${a.lastConfirmationCode}` : null, a.lastReturnCode ? `return code ${a.lastReturnCode}` : null];
    rows.push(['Authorization codes', a.udi ? udiKey(a.udi) : (a.role ?? 'this device'), parts.filter(Boolean).join(', ') || null]);
  }
  const s = f.usageReportSummary;
  if (s) {
    const counts = [['total', s.total], ['purged', s.purged], ['acknowledged', s.acknowledged], ['waiting for ACK', s.waitingForAck], ['available to report', s.availableToReport], ['collecting data', s.collectingData]] as const;
    rows.push(['Usage reports', 'Summary', counts.filter(([, v]) => v !== null).map(([k, v]) => `${k} ${v}`).join(', ') || null]);
  }
  // `%SMART_LIC-6-REPORTING_REQUIRED: … in N days` and the 9800-CL's MSGDEVICENOTREG are deadlines (seed 003 §5).
  const deadlines = new Map<string, string>();
  for (const e of f.events) {
    const by = deadlineText(e.at?.epochMs, e.daysLeft);
    if (by) deadlines.set(e.name, by);
  }
  for (const [name, by] of deadlines) rows.push(['Reporting', `ACK needed by (syslog ${name})`, by]);
  for (const r of f.rumReports) {
    rows.push(['Usage reports', `Report ${r.reportId}`, [r.state, r.flag ? `flag ${r.flag}` : null, r.featureName, r.storageState].filter(Boolean).join(', ') || null]);
  }
  return rows;
}

/** Facts a usage file gave (the fleet record keeps the newest of each with its file). */
function usageRows(d: ProductInstance): Array<[string, string, Fact<string> | null]> {
  const role = d.ha?.value.role;
  return [
    ['Device', 'Host name', d.hostname],
    ['Device', 'Software version', d.softwareVersion],
    ['Device', 'HA role', d.ha && role ? { ...d.ha, value: role } : null],
  ];
}

/**
 * The device picture: for every fact, the newest value with its source and every source that disagrees.
 * `fileNames` names the stored files (SHA-256 → name) for facts that came from usage files.
 */
export function devicePicture(d: ProductInstance, rec: DeviceCliRecord | null | undefined, fileNames: ReadonlyMap<string, string>): PictureRow[] {
  const byLabel = new Map<string, { group: string; label: string; values: PictureValue[] }>();
  const put = (group: string, label: string, value: string | null, source: FactSource) => {
    if (value === null || value === '') return;
    const k = `${group}\u0000${label}`;
    let e = byLabel.get(k);
    if (!e) byLabel.set(k, (e = { group, label, values: [] }));
    e.values.push({ value, source });
  };
  // The fleet record's own facts count only when a usage file gave them: a CLI fact is there as its observation.
  const cliFiles = new Set((rec?.observations ?? []).map((o) => o.source.file));
  for (const [group, label, fact] of usageRows(d)) {
    if (!fact || cliFiles.has(fact.file)) continue;
    put(group, label, fact.value, { file: fact.file, fileName: fileNames.get(fact.file) ?? fact.file.slice(0, 12), command: 'usage-file', line: null, at: fact.at, atFromDevice: true });
  }
  for (const o of rec?.observations ?? []) {
    for (const [group, label, value] of factRows(o.facts)) put(group, label, value, o.source);
    const me = o.facts.ha.find((h) => udiKey(h.udi) === d.key);
    if (me && o.facts.ha.length > 1) put('Device', 'HA role', me.role, o.source);
  }
  const rows: PictureRow[] = [];
  for (const { group, label, values } of byLabel.values()) {
    values.sort((a, b) => b.source.at - a.source.at);
    const current = values[0]!;
    const conflicts: PictureValue[] = [];
    let agreeing = 0;
    for (const v of values.slice(1)) {
      if (v.value === current.value) agreeing++;
      else if (!conflicts.some((c) => c.value === v.value)) conflicts.push(v);
    }
    rows.push({ group, label, current, conflicts, agreeing });
  }
  return rows;
}

/** Events (syslog, event log, history) of every observation, newest first, once each. */
export function deviceEvents(rec: DeviceCliRecord | null | undefined): Array<CliFacts['events'][number] & { source: FactSource }> {
  const seen = new Set<string>();
  const out: Array<CliFacts['events'][number] & { source: FactSource }> = [];
  for (const o of rec?.observations ?? []) {
    for (const e of o.facts.events) {
      const k = `${e.at?.raw ?? ''}|${e.name}|${e.message}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ ...e, source: o.source });
    }
  }
  return out.sort((a, b) => (b.at?.epochMs ?? b.source.at) - (a.at?.epochMs ?? a.source.at));
}

/** The sources a picture cites, numbered in order of first use, so each row can say `[2]` instead of a sentence. */
export function citedSources(rows: readonly PictureRow[]): { sources: FactSource[]; ref: (s: FactSource) => number } {
  const key = (s: FactSource) => `${s.file}|${s.command}|${s.line ?? ''}|${s.at}`;
  const index = new Map<string, number>();
  const sources: FactSource[] = [];
  for (const r of rows) {
    for (const v of [r.current, ...r.conflicts]) {
      if (!index.has(key(v.source))) {
        sources.push(v.source);
        index.set(key(v.source), sources.length);
      }
    }
  }
  return { sources, ref: (s) => index.get(key(s)) ?? 0 };
}

export function sourceLabel(s: FactSource): string {
  const what = s.command === 'usage-file' ? 'usage file' : COMMAND_LABELS[s.command];
  return `${what} in ${s.fileName}${s.line !== null ? `, line ${s.line}` : ''}`;
}
