import { describe, expect, it } from 'vitest';
import { checkNodeLocation } from '../src/index.js';
import { makeSite } from './fixture.js';

describe('checkNodeLocation: the renderers ASN rule, for callers that set a location', () => {
  const site = makeSite();

  it('accepts a rack of the scheme, and a role with a pinned ASN in any rack', () => {
    expect(() => checkNodeLocation(site, { rack: 'r02', role: 'compute' })).not.toThrow();
    expect(() => checkNodeLocation(site, { rack: 'r77', role: 'lb' })).not.toThrow();
  });

  it('refuses a rack missing from the scheme, naming the known racks and the key to add it under', () => {
    expect(() => checkNodeLocation(site, { rack: 'r77', role: 'compute' })).toThrow(
      expect.objectContaining({
        code: 'BOOTCONFIG_ASN_UNKNOWN_LOCATION',
        message:
          'rack "r77" is not in site fra1\'s ASN scheme: use one of its racks (r01, r02) or add it to asnScheme.sites.fra1.racks in the server\'s site configuration',
        details: { site: 'fra1', rack: 'r77', knownRacks: ['r01', 'r02'] },
      }),
    );
  });

  it('refuses a rack name no renderer would take (BOOTCONFIG_INVALID_INPUT)', () => {
    expect(() => checkNodeLocation(site, { rack: 'r1;reboot' })).toThrow(
      expect.objectContaining({ code: 'BOOTCONFIG_INVALID_INPUT' }),
    );
  });
});
