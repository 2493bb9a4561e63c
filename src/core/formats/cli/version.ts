import type { CommandParser } from './context.ts';
import { keyValue } from './text.ts';
import { modelSerialUdi } from './udi.ts';

/**
 * `show version`: only the lines the licensing picture needs, the rest of its long output is passed over
 * silently. `Cisco IOS XE Software, Version 17.03.02`, `AIR License Level:` / `Next reload AIR license Level:`
 * (seed 003 §1.16, L3002-3005), `Smart Licensing Status:`, `<host> uptime is …`, and the `Model Number` /
 * `System Serial Number` of a Catalyst switch (its UDI).
 */

const IOS_XE = /^\s*Cisco IOS[ -]XE Software,\s*Version\s+([^\s,]+)/i;
const IOS = /^\s*Cisco IOS Software\b.*?,\s*Version\s+([^\s,]+)/i;
/** `wlc-1 uptime is 2 weeks, 1 day` — not `Uptime for this control processor is …`. */
const UPTIME = /^\s*(\S+)\s+uptime is\s+\S/i;

export const parseVersion: CommandParser = (lines, ctx) => {
  const f = ctx.facts;
  let iosVersion: string | null = null;
  for (const line of lines) {
    const t = line.text;
    if (!t.trim()) continue;
    const xe = IOS_XE.exec(t);
    if (xe) {
      f.softwareVersion ??= xe[1]!;
      continue;
    }
    const ios = IOS.exec(t);
    if (ios) {
      iosVersion ??= ios[1]!;
      continue;
    }
    const up = UPTIME.exec(t);
    if (up && !/^(uptime|system)$/i.test(up[1]!)) {
      f.hostname ??= up[1]!;
      continue;
    }
    const kv = keyValue(t);
    if (!kv) continue;
    switch (kv.key) {
      case 'air license level':
        (f.airLevel ??= { current: null, nextReload: null }).current = kv.value;
        break;
      case 'next reload air license level':
        (f.airLevel ??= { current: null, nextReload: null }).nextReload = kv.value;
        break;
      case 'smart licensing status': {
        // `Registration Not Applicable/Not Applicable` is what a Smart Licensing Using Policy release prints
        // (seed 003 L3005); `UNREGISTERED/EVAL MODE` and friends are the registration of an older release.
        const v = kv.value ?? '';
        if (/Not Applicable|Using Policy/i.test(v)) {
          f.smartLicensingEnabled = true;
          f.slpEnabled = true;
        } else if (/REGISTERED|EVAL|AUTHORIZED|Registration Expired/i.test(v)) {
          f.smartLicensingEnabled = true;
          f.slpEnabled = false;
        } else if (/DISABLED/i.test(v)) f.smartLicensingEnabled = false;
        else if (v) ctx.warn(line.n, `show version: Smart Licensing Status "${v}" not understood`);
        break;
      }
    }
  }
  // Classic IOS names no XE version line; its `Version 15.2(4)E` is still the software version.
  f.softwareVersion ??= iosVersion;
  f.udi ??= modelSerialUdi(lines);
};
