import { expect, it } from 'vitest';
import * as bootconfig from '../src/index.js';

it('exports exactly the public API (a change here is a change for users: add a changeset)', () => {
  expect(Object.keys(bootconfig).sort()).toEqual([
    'BOOTCONFIG_ERROR_CODES',
    'BUILTIN_SETTINGS',
    'BootconfigError',
    'BootconfigInputError',
    'PRIVATE_ASN_RANGES',
    'checkNodeLocation',
    'checkSiteTemplates',
    'createAsnPolicy',
    'isBootconfigError',
    'isPrivateAsn',
    'renderAptSources',
    'renderAuthorizedKeys',
    'renderAutoinstallMetaData',
    'renderAutoinstallUserData',
    'renderBirdConfig',
    'renderConsulConfig',
    'renderFallbackFiles',
    'renderGrubConfig',
    'renderGrubFallback',
    'renderHostname',
    'renderHosts',
    'renderIpxeFallback',
    'renderIpxeScript',
    'renderNetplan',
    'renderNodeFiles',
    'renderPreseed',
    'renderSshdConfig',
    'resolveNodeConfig',
    'resolveSite',
    'selectTemplateSettings',
    'validateCidr',
    'validateIp',
  ]);
});
