import { describe, expect, it } from 'vitest';
import type { ProductInstance } from '../../../src/core/model/fleet.ts';
import { csvCell, facets, familyOf, filterRows, fleetRow, NO_FILTER, naturalKey, rowsCsv, sortRows, UNKNOWN } from '../../../src/core/model/fleet-view.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22);

function device(sn: string, over: Partial<ProductInstance> = {}): ProductInstance {
  return { key: `PID:C9300-24UX,SN:${sn}`, udi: { pid: 'C9300-24UX', sn }, hostname: null, softwareVersion: null, softwareTag: null, ha: null, licenses: [], reportCount: 0, lastReportEnd: null, files: [], firstSeen: 0, updatedAt: 0, ...over };
}
const fact = <T,>(value: T, at = NOW - DAY) => ({ value, file: 'f', at });

describe('familyOf', () => {
  it('groups PIDs as operators do', () => {
    expect(['C9300-24UX', 'C9300L-48P-4G', 'C9800-CL-K9', 'C9800-40-K9', 'ISR4331/K9', 'C1111-8P', 'C8300-1N1S-6T', 'C8000V', 'ASR1006', 'WEIRD-1'].map(familyOf)).toEqual([
      'C9300', 'C9300', 'C9800-CL', 'C9800', 'ISR4300', 'ISR1100', 'C8300', 'C8000V', 'ASR1000', 'WEIRD',
    ]);
  });
});

describe('Fleet rows', () => {
  const rows = [
    device('A1', { hostname: fact('sw-10'), virtualAccount: fact('Campus'), policyName: fact('Cisco default'), transport: fact('Off'), trustCode: fact(true) }),
    device('A2', { hostname: fact('sw-2'), virtualAccount: fact('Lab'), policyName: fact('SLE Policy'), trustCode: fact(false), lastReportEnd: NOW - 100 * DAY }),
    device('A3', { hostname: fact('=HYPERLINK("http://x")', NOW - 50 * DAY), lastHeard: NOW - 40 * DAY }),
  ].map((d) => fleetRow(d));

  it('filters by every facet, "not known" included, and by facts older than N days', () => {
    const keys = (f: Partial<typeof NO_FILTER>) => filterRows(rows, { ...NO_FILTER, ...f }, NOW).map((r) => r.sn);
    expect(keys({})).toEqual(['A1', 'A2', 'A3']);
    expect(keys({ query: 'SW-' })).toEqual(['A1', 'A2']);
    expect(keys({ virtualAccount: 'Lab' })).toEqual(['A2']);
    expect(keys({ virtualAccount: UNKNOWN })).toEqual(['A3']);
    expect(keys({ policy: 'Cisco default', transport: 'Off' })).toEqual(['A1']);
    expect(keys({ trust: 'installed' })).toEqual(['A1']);
    expect(keys({ trust: 'none' })).toEqual(['A2']);
    expect(keys({ trust: UNKNOWN })).toEqual(['A3']);
    expect(keys({ family: 'C9300' })).toEqual(['A1', 'A2', 'A3']);
    // A1 and A2 were heard from yesterday (their host name fact), A3 40 days ago.
    expect(keys({ olderThanDays: 30 })).toEqual(['A3']);
    expect(keys({ olderThanDays: 0 })).toEqual(['A1', 'A2', 'A3']);
    // The deadline filter, on rows built with the engine's verdict.
    const withDeadlines = [fleetRow(rows[0]!.device, { key: rows[0]!.key, status: 'overdue', next: null, deadlines: [], note: null, flags: [], policy: null as never }), rows[1]!];
    expect(filterRows(withDeadlines, { ...NO_FILTER, deadline: 'overdue' }, NOW).map((r) => r.sn)).toEqual(['A1']);
    expect(facets(rows)).toEqual({ family: ['C9300'], virtualAccount: ['Campus', 'Lab'], policy: ['Cisco default', 'SLE Policy'], transport: ['Off'] });
  });

  it('sorts naturally, missing values last in both directions', () => {
    expect(sortRows(rows, 'hostname', 'asc').map((r) => r.hostname)).toEqual(['=HYPERLINK("http://x")', 'sw-2', 'sw-10']);
    expect(sortRows(rows, 'virtualAccount', 'desc').map((r) => r.sn)).toEqual(['A2', 'A1', 'A3']);
    expect(sortRows(rows, 'virtualAccount', 'asc').map((r) => r.sn)).toEqual(['A1', 'A2', 'A3']);
    expect(naturalKey('sw-2') < naturalKey('sw-10')).toBe(true);
  });

  it('exports CSV with formulas neutralised and quotes escaped', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('a,b')).toBe('"a,b"');
    const csv = rowsCsv(sortRows(rows, 'hostname', 'asc'));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('hostname,pid,serial,family,ha_role,software_version,smart_account,virtual_account,policy,transport,trust_code,last_ack_received,next_ack_deadline,licences_in_use,reports,last_report_end,last_heard,deadline_status,next_due');
    expect(lines[1]!.startsWith(`"'=HYPERLINK(""http://x"")",C9300-24UX,A3,C9300,standalone,`)).toBe(true);
    expect(lines[2]).toBe(`sw-2,C9300-24UX,A2,C9300,standalone,,,Lab,SLE Policy,,none,,,,0,${new Date(NOW - 100 * DAY).toISOString()},${new Date(NOW - DAY).toISOString()},,`);
    expect(lines).toHaveLength(5); // header, three rows, and the final CRLF
  });
});
