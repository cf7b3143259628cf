import type { Inventory } from '../src/index.js';

/** A valid inventory; `i` makes UUID, serials and MACs distinct. */
export function sampleInventory(i: number): Inventory {
  const hex = i.toString(16).padStart(6, '0');
  const mac = (n: number) => `52:54:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:0${n}`;
  return {
    systemUuid: `4c4c4544-0000-4000-8000-${hex.padStart(12, '0')}`,
    serial: `SRV${hex}`,
    manufacturer: 'Dell Inc.',
    product: 'PowerEdge R650',
    cpus: [{ socket: 0, model: 'Intel Xeon Gold 6338', cores: 32, threads: 64 }],
    memory: { totalBytes: 256 * 2 ** 30 },
    disks: [
      {
        name: 'sda',
        sizeBytes: 480_103_981_056,
        serial: `BTYF${hex}`,
        rotational: false,
        byId: [`/dev/disk/by-id/ata-SSDSC2KB480G8_BTYF${hex}`],
      },
    ],
    nics: [{ name: 'eno1', mac: mac(1), speedMbps: 25000 }],
  };
}
