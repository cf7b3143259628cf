import { describe, expect, it } from 'vitest';
import { isBootconfigError, renderAutoinstallUserData, renderNodeFiles, renderPreseed } from '../src/index.js';
import { parse } from 'yaml';
import { checkAutoinstallSection } from './autoinstall-schema.js';
import { makeNode, makeSite } from './fixture.js';

const withNtp = (ntpServers: string[]) => {
  const node = makeNode();
  return makeNode({ management: { ...node.management, ntpServers } });
};

describe('NTP servers', () => {
  it('the Debian installer sets the clock from the first; the node gets chrony and timesyncd files naming all', () => {
    const node = withNtp(['198.19.250.123', '2001:db8:31::123']);
    const preseed = renderPreseed(node, makeSite());
    expect(preseed).toContain('d-i clock-setup/ntp boolean true\nd-i clock-setup/ntp-server string 198.19.250.123\n');
    const files = renderNodeFiles(node, makeSite());
    const chrony = files.find((f) => f.path === '/etc/chrony/sources.d/fleet.sources');
    expect(chrony?.content.split('\n').filter((l) => l.startsWith('server'))).toEqual([
      'server 198.19.250.123 iburst',
      'server 2001:db8:31::123 iburst',
    ]);
    const timesyncd = files.find((f) => f.path === '/etc/systemd/timesyncd.conf.d/60-fleet.conf');
    expect(timesyncd?.content).toContain('[Time]\nNTP=198.19.250.123 2001:db8:31::123\n');
    expect(timesyncd?.mode).toBe(0o644);
  });

  it('autoinstall hands them to the installed system through its user-data (cloud-init ntp module)', () => {
    const node = { ...withNtp(['198.19.250.123', '2001:db8:31::123']), role: 'storage' };
    const doc = parse(renderAutoinstallUserData(node, makeSite())) as { autoinstall: Record<string, unknown> };
    expect(doc.autoinstall['user-data']).toEqual({ ntp: { enabled: true, servers: ['198.19.250.123', '2001:db8:31::123'] } });
    expect(checkAutoinstallSection(doc.autoinstall)).toEqual([]);
    const plain = parse(renderAutoinstallUserData({ ...makeNode(), role: 'storage' }, makeSite())) as {
      autoinstall: Record<string, unknown>;
    };
    expect(plain.autoinstall['user-data']).toBeUndefined();
  });

  it('without NTP servers nothing changes: no ntp-server line, no time files', () => {
    const node = makeNode();
    expect(renderPreseed(node, makeSite())).not.toContain('ntp-server');
    expect(renderNodeFiles(withNtp([]), makeSite())).toEqual(renderNodeFiles(node, makeSite()));
    const paths = renderNodeFiles(node, makeSite()).map((f) => f.path);
    expect(paths.some((p) => p.includes('chrony') || p.includes('timesyncd'))).toBe(false);
  });

  it('refuses anything but addresses, naming the field', () => {
    for (const bad of ['ntp.example.net', '198.19.250.123\nd-i x', '1.2.3.4 iburst']) {
      let error: unknown;
      try {
        renderNodeFiles(withNtp([bad]), makeSite());
      } catch (e) {
        error = e;
      }
      expect(isBootconfigError(error)).toBe(true);
      expect((error as Error).message).toContain('node.management.ntpServers[0]');
    }
    expect(() => renderNodeFiles(withNtp(['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4', '1.1.1.5']), makeSite())).toThrow(
      /ntpServers/,
    );
  });
});
