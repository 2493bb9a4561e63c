import type { CliPolicy } from '../formats/cli/types.ts';
import { LICENCE_CLASSES as CLASSES, type Policy } from '../model/policy.ts';
import { CISCO_DEFAULT_POLICY } from './cisco-default.ts';

/**
 * The policy a device prints (`show license status|all`, seed 003 L4699-4714) as a full policy. A value the
 * output did not show (a truncated paste) is taken from the Cisco default, which is what the device falls back
 * to as well (seed 003 L167), and named in `filled` so the reason of a deadline can say so.
 */
export function policyFromCli(p: CliPolicy): { policy: Policy; filled: string[] } {
  const filled: string[] = [];
  const sources = [p.ackRequired?.source, ...CLASSES.flatMap((c) => [p.classes[c]?.firstReportDays?.source, p.classes[c]?.reportingFrequencyDays?.source, p.classes[c]?.reportOnChangeDays?.source])];
  const custom = !!p.name || sources.includes('customer');
  const classes = {} as Policy['classes'];
  for (const c of CLASSES) {
    const d = CISCO_DEFAULT_POLICY.classes[c];
    const v = p.classes[c];
    const pick = (x: { days: number } | null | undefined, fallback: number, what: string) => {
      if (x) return x.days;
      filled.push(`${c} ${what}`);
      return fallback;
    };
    classes[c] = {
      firstReportDays: pick(v?.firstReportDays, d.firstReportDays, 'first report'),
      reportingFrequencyDays: pick(v?.reportingFrequencyDays, d.reportingFrequencyDays, 'reporting frequency'),
      reportOnChangeDays: pick(v?.reportOnChangeDays, d.reportOnChangeDays, 'report on change'),
    };
  }
  if (!p.ackRequired) filled.push('ACK required');
  return {
    policy: {
      name: p.name ?? (custom ? 'Custom policy' : CISCO_DEFAULT_POLICY.name),
      custom,
      ackRequired: p.ackRequired?.value ?? true,
      classes,
      installedAt: p.installedAt?.epochMs ?? null,
    },
    filled,
  };
}
