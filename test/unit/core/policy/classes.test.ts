import { describe, expect, it } from 'vitest';
import { classOf } from '../../../../src/core/policy/classes.ts';

describe('licence classes', () => {
  it('from the catalogue, by family name, from what the device printed, or the cautious default', () => {
    const cls = (tag: string, printed = {}) => [classOf(tag, printed).cls, classOf(tag, printed).known];
    expect(cls('regid.2017-03.com.cisco.advantagek9,1.0_bd1da96e-ec1d-412b-a50e-53846b347d53')).toEqual(['unenforcedPerpetual', true]);
    expect(cls('regid.2019-03.com.cisco.DNA_HSEC,1.0_509c41ab-05a8-431f-95fe-ec28086e8844')).toEqual(['export', true]);
    expect(cls('regid.2020-01.com.cisco.c9300_dna_essentials,1.0_00000000-0000-0000-0000-000000000001')).toEqual(['unenforcedSubscription', true]);
    expect(cls('DNA_P_100M_A')).toEqual(['unenforcedSubscription', true]);
    expect(cls('air-network-essentials')).toEqual(['unenforcedPerpetual', true]);
    expect(cls('AIR-DNA-E')).toEqual(['unenforcedSubscription', true]);
    expect(cls('MRP_Client')).toEqual(['enforced', true]);
    expect(cls('some-feature', { enforcement: 'NOT ENFORCED', licenseType: 'Perpetual' })).toEqual(['unenforcedPerpetual', true]);
    expect(cls('some-feature', { enforcement: 'ENFORCED', licenseType: 'Subscription' })).toEqual(['enforced', true]);
    expect(cls('some-feature', { enforcement: 'EXPORT RESTRICTED' })).toEqual(['export', true]);
    expect(cls('some-feature', { enforcement: 'NOT ENFORCED' })).toEqual(['unenforcedSubscription', false]);
    expect(classOf('some-feature').why).toMatch(/strictest common class/);
  });
});
