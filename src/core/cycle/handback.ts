import { formatBytes } from '../errors.ts';
import type { CliParse } from '../formats/cli/index.ts';
import { udiKey } from '../model/udi.ts';
import { HOUR, day } from '../policy/deadlines.ts';
import { safeName } from '../words.ts';
import type { Cycle, CycleDevice } from './model.ts';

/**
 * Steps 3, 5 and the optional last step of a cycle: the checklist for whoever carries the upload to the connected
 * workstation, the per-device hand-back (the ACK's original bytes plus the exact commands), and the check that a
 * device took its ACK (`show license status` printed afterwards shows the new `Last ACK received`).
 */

function when(ms: number): string {
  return `${day(ms)} ${new Date(ms).toISOString().slice(11, 16)} UTC`;
}


/** The one-page checklist for the connected workstation (CSSM → Reports → Usage Data Files), as lines of text. */
export function guideLines(cycle: Cycle): string[] {
  const upload = cycle.upload;
  const file = upload?.name ?? '(build the upload first)';
  const expect =
    cycle.mode === 'per-device'
      ? `one ACK per file, each named ACK_<the file's name> (e.g. ACK_${cycle.devices[0]?.uploadFile ?? 'file.txt'})`
      : cycle.mode === 'bundle'
        ? `ACK_${file} — an ACK bundle (a tar.gz holding one ACK_dev_… file per device)`
        : `ACK_${file}`;
  const reports = cycle.devices.reduce((n, d) => n + d.reportIds.length, 0);
  return [
    `SLP Offline Workbench — ${cycle.kind === 'authorization' ? 'authorization (SLAC)' : cycle.kind === 'controller' ? 'controller usage report' : 'reporting'} cycle ${cycle.number}`,
    `Smart Account: ${cycle.smartAccount ?? '(the account the devices belong to)'} · Virtual Account: ${cycle.virtualAccount}`,
    cycle.kind === 'controller'
      ? `The licence assignments made in the workbench${cycle.controller ? `: ${cycle.controller.assignments}` : ''} (SD-WAN Manager's usage report, seed 000 L788-822)`
      : cycle.kind === 'authorization'
      ? `${cycle.devices.length} device${cycle.devices.length === 1 ? '' : 's'}: SLAC ${[...new Set(cycle.devices.map((d) => d.request?.kind))].join(' and ')} files, uploaded as the devices saved them`
      : `${cycle.devices.length} device${cycle.devices.length === 1 ? '' : 's'}, ${reports} report${reports === 1 ? '' : 's'}`,
    upload ? `File to carry: ${upload.name} (${formatBytes(upload.size)}) SHA-256 ${upload.sha256}` : 'File to carry: not built yet',
    cycle.mode === 'per-device' ? `Unpack it on the workstation: it holds ${cycle.devices.length} usage files, uploaded one by one.` : '',
    '',
    'On the workstation connected to Cisco:',
    '[ ] 1. Sign in to Cisco Software Central (software.cisco.com) and open Smart Software Licensing.',
    '[ ] 2. Go to Reports → Usage Data Files.',
    `[ ] 3. Click "Upload Usage Data" and choose ${cycle.mode === 'per-device' ? 'each file of the tar' : file}.`,
    `[ ] 4. When asked, choose the Smart Account${cycle.smartAccount ? ` "${cycle.smartAccount}"` : ''}, then the Virtual Account "${cycle.virtualAccount}".`,
    '[ ] 5. Wait until the file\'s row shows its acknowledgement is ready (it can take several minutes; refresh the page).',
    `[ ] 6. Download the acknowledgement: expect ${expect}.`,
    '[ ] 7. Copy the ACK file(s) to the USB stick, unchanged, and bring them back.',
    `[ ] 8. In the workbench: Reporting cycles → cycle ${cycle.number} → confirm the upload date, then import the ACK.`,
    '',
    'Do not upload the same file twice: CSSM rejects reports it has already received, and uploads cannot be deleted there.',
    'If CSSM rejects the file, write down its message: the cycle can be abandoned with that reason and a new one built.',
  ].filter((l, i, all) => l !== '' || all[i - 1] !== '');
}

/** Where a device's hand-back lives inside the hand-back tar: one folder per device. */
export function handBackFolder(d: Pick<CycleDevice, 'hostname' | 'udi'>): string {
  return `${safeName(d.hostname ?? d.udi.pid)}_${safeName(d.udi.sn)}`;
}

/** The exact steps that install a device's ACK, as a script with `!` comments (pasteable into the device's CLI). */
export function handBackScript(cycle: Cycle, d: CycleDevice, ackSha256: string | null): string {
  if (!d.ack) return `! ${d.hostname ?? d.key}: no ACK has arrived for this device yet.\n`;
  const name = d.ack.name;
  const folder = handBackFolder(d);
  // The answer to a SLAC request or return installs like an ACK (seed 004 L658-662); it is checked with
  // `show license authorization` rather than the last ACK.
  const auth = d.request !== null;
  const check = auth ? 'show license authorization' : 'show license status';
  const expect = auth
    ? d.request!.kind === 'return'
      ? '"Status: NOT INSTALLED" (the authorization is returned)'
      : '"Status: SMART AUTHORIZATION INSTALLED" for this device'
    : `"Last ACK received" ${day(d.ack.at)} or later`;
  const head = [
    `! SLP Offline Workbench — hand-back for ${d.hostname ?? d.udi.pid} (${d.key})`,
    `! ${auth ? 'Authorization' : 'Reporting'} cycle ${cycle.number}, Virtual Account ${cycle.virtualAccount}; ${auth ? 'answer' : 'ACK'} ${name}${ackSha256 ? ` SHA-256 ${ackSha256}` : ''}`,
    auth
      ? `! Issued ${when(d.ack.at)} for the SLAC ${d.request!.kind} of ${d.request!.entitlements.join(', ') || 'the device'}.`
      : `! ACK issued ${when(d.ack.at)} for ${d.reportIds.length} report${d.reportIds.length === 1 ? '' : 's'}.`,
  ];
  if (d.handBack === 'cslu' || d.handBack === 'on-prem') {
    const server = d.handBack === 'cslu' ? 'CSLU' : 'SSM On-Prem';
    const where =
      d.handBack === 'cslu'
        ? `In CSLU, import the file downloaded from Cisco ("Import from Cisco" / upload of the ACK file): choose ${folder}/${name}.`
        : `In SSM On-Prem (disconnected mode), upload the ACK file downloaded from Cisco: choose ${folder}/${name}.`;
    return [
      ...head,
      `! This device reports through ${server}: the ACK goes to ${server}, not to the device.`,
      `! 1. ${where}`,
      `! 2. ${server} applies the ACK to the device the next time it runs an update (seed 002 L516-522, L757-767).`,
      `! 3. Then, on the device, check it shows ${expect}:`,
      check,
      '',
    ].join('\n');
  }
  return [
    ...head,
    '! 1. Copy the ACK file to the device\'s flash (from the USB stick; or use tftp:/scp: instead of usbflash0:).',
    `copy usbflash0:${folder}/${name} bootflash:${name}`,
    '! 2. Install it: the device prints "Import Data Successful".',
    `license smart import bootflash:${name}`,
    `! 3. Check that it took: it must show ${expect}.`,
    check,
    '',
  ].join('\n');
}

/** The hand-back's README: every device, its folder, and what to do. */
export function handBackReadme(cycle: Cycle): string {
  const lines = [
    `SLP Offline Workbench — hand-back of reporting cycle ${cycle.number} (Virtual Account ${cycle.virtualAccount})`,
    '',
    'One folder per device: its ACK file exactly as CSSM wrote it, and commands.txt with the steps to install it.',
    'Copy this folder to a USB stick; on each device run the commands of its folder.',
    '',
  ];
  for (const d of cycle.devices) {
    lines.push(`${handBackFolder(d)}/  ${d.hostname ?? ''} ${d.key}  ${d.ack ? d.ack.name : 'NO ACK YET'}${d.handBack !== 'device' ? ` (via ${d.handBack === 'cslu' ? 'CSLU' : 'SSM On-Prem'})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface Verification {
  /** Devices whose `Last ACK received` is at or after their ACK's time (minus the clock-skew allowance). */
  verified: Array<{ key: string; lastAck: number }>;
  /** Devices in the paste whose last ACK is older: the ACK is not installed yet. */
  notYet: Array<{ key: string; lastAck: number | null; expected: number }>;
  /** Devices of the paste that are not in the cycle, or print no UDI the workbench can tie to the cycle. */
  other: string[];
}

/** An hour: the clock difference above which the documents warn that trust-code installs fail. */
export const CLOCK_ALLOWANCE = HOUR;

/**
 * Which devices a `show license status` (or `all`, or tech support) pasted after hand-back proves installed
 * their ACK. Devices are found by UDI, else by their prompt's host name.
 */
export function verifyFromCli(cycle: Cycle, parse: CliParse): Verification {
  const out: Verification = { verified: [], notYet: [], other: [] };
  const byHost = new Map(cycle.devices.filter((d) => d.hostname).map((d) => [d.hostname!.toLowerCase(), d]));
  const byKey = new Map(cycle.devices.map((d) => [d.key, d]));
  for (const p of parse.devices) {
    const d = (p.udi ? byKey.get(udiKey(p.udi)) : undefined) ?? (p.host ? byHost.get(p.host.toLowerCase()) : undefined) ?? (p.facts.hostname ? byHost.get(p.facts.hostname.toLowerCase()) : undefined);
    if (!d || !d.ack) {
      out.other.push(p.udi ? udiKey(p.udi) : (p.host ?? 'a device without UDI'));
      continue;
    }
    if (d.request) {
      // An authorization: `show license authorization` prints its status (and when it was installed).
      const a = p.facts.authorizations.find((x) => !x.udi || udiKey(x.udi) === d.key);
      const status = a?.status ?? '';
      const at = a?.installedAt?.epochMs ?? p.facts.observedAt?.epochMs ?? null;
      const done = d.request.kind === 'return' ? /NOT INSTALLED/.test(status) : /INSTALLED/.test(status) && !/NOT INSTALLED/.test(status);
      if (done) out.verified.push({ key: d.key, lastAck: at ?? d.ack.at });
      else out.notYet.push({ key: d.key, lastAck: at, expected: d.ack.at });
      continue;
    }
    const last = p.facts.usageReporting?.lastAckReceived?.epochMs ?? null;
    if (last !== null && last >= d.ack.at - CLOCK_ALLOWANCE) out.verified.push({ key: d.key, lastAck: last });
    else out.notYet.push({ key: d.key, lastAck: last, expected: d.ack.at });
  }
  return out;
}
