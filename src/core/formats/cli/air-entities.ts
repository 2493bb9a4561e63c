import type { CommandParser } from './context.ts';
import { durationSeconds } from './dates.ts';
import { PREAMBLE, TIME_SOURCE, intOf, keyValue } from './text.ts';

/**
 * `show license air entities summary` (seed 003 §4.9, L3651-3725, Table 9): `Label.....: value` lines about the
 * APs the controller last reported, and on a 9800-CL of 17.7.1+ `License Ack expected within.....: 179 days`
 * until its first ACK (L3704-3711; gone after the ACK, L2031-2037).
 */


export const parseAirEntities: CommandParser = (lines, ctx) => {
  const f = ctx.facts;
  const air = () => (f.airEntities ??= { lastReportTime: null, upcomingReportTime: null, apsActive: null, apsAdded: null, apsDeleted: null });
  for (const line of lines) {
    const t = line.text.trim();
    if (!t) continue;
    // The countdown becomes a date only with the time the output was taken, so read it here rather than after.
    const ts = TIME_SOURCE.exec(t);
    if (ts) {
      f.observedAt ??= ctx.date(ts[1], line.n);
      continue;
    }
    if (PREAMBLE.test(t)) continue;
    const kv = keyValue(t);
    if (!kv) {
      ctx.warn(line.n, `show license air entities summary: line not understood: "${t}"`);
      continue;
    }
    switch (kv.key) {
      case 'last license report time':
        air().lastReportTime = ctx.date(kv.value, line.n);
        break;
      case 'upcoming license report time':
        air().upcomingReportTime = ctx.date(kv.value, line.n);
        break;
      case 'no. of aps active at last report':
        air().apsActive = intOf(kv.value);
        break;
      case 'no. of aps newly added with last report':
        air().apsAdded = intOf(kv.value);
        break;
      case 'no. of aps deleted with last report':
        air().apsDeleted = intOf(kv.value);
        break;
      case 'license ack expected within': {
        if (!kv.value) break;
        const secs = durationSeconds(kv.value);
        const days = /^\s*(\d+)\s*$/.test(kv.value) ? intOf(kv.value) : secs !== null ? Math.floor(secs / 86400) : null;
        f.ackCountdown = { raw: kv.value, days, observedAt: f.observedAt };
        break;
      }
      default:
        ctx.warn(line.n, `show license air entities summary: "${kv.label}" not read`);
    }
  }
};
