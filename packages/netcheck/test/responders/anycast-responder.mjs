// A tiny anycast DNS + NTP responder for tests, run inside a namespace:
//   ip netns exec NS node anycast-responder.mjs ANYCAST_ADDR INSTANCE_NAME UNICAST_ADDR NTP_SKEW_MS [DNS_PORT NTP_PORT]
// DNS: `*.fleet.test` A -> UNICAST_ADDR (tells which instance answered), TXT -> INSTANCE_NAME; else NXDOMAIN.
// NTP: a stratum-2 server whose clock is off by NTP_SKEW_MS.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const [addr, instance, unicast, skewText, dnsPort = '53', ntpPort = '123'] = process.argv.slice(2);
const skew = Number(skewText ?? 0);

function answer(query) {
  const id = query.readUInt16BE(0);
  let at = 12;
  const labels = [];
  while (query[at] !== 0) {
    labels.push(query.toString('ascii', at + 1, at + 1 + query[at]));
    at += 1 + query[at];
  }
  const qEnd = at + 5;
  const type = query.readUInt16BE(at + 1);
  const name = labels.join('.').toLowerCase();
  const known = name.endsWith('fleet.test');
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x8400 | 0x0100 | (known ? 0 : 3), 2); // QR AA RD, NOERROR/NXDOMAIN
  header.writeUInt16BE(1, 4);
  let rdata;
  if (known && type === 1) rdata = Buffer.from(unicast.split('.').map(Number));
  if (known && type === 16) rdata = Buffer.concat([Buffer.from([instance.length]), Buffer.from(instance)]);
  header.writeUInt16BE(rdata ? 1 : 0, 6);
  const parts = [header, query.subarray(12, qEnd)];
  if (rdata) {
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(type, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(30, 6);
    rr.writeUInt16BE(rdata.length, 10);
    parts.push(rr, rdata);
  }
  return Buffer.concat(parts);
}

function ntpNow(buf, offset) {
  const ms = Date.now() + skew;
  buf.writeUInt32BE(Math.floor(ms / 1000) + 2208988800, offset);
  buf.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32), offset + 4);
}

const dns = createSocket('udp4');
dns.on('message', (msg, rinfo) => dns.send(answer(msg), rinfo.port, rinfo.address));
const tcp = createServer((sock) => {
  let buf = Buffer.alloc(0);
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const reply = answer(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      const len = Buffer.alloc(2);
      len.writeUInt16BE(reply.length);
      sock.end(Buffer.concat([len, reply]));
    }
  });
  sock.on('error', () => {});
});
const ntp = createSocket('udp4');
ntp.on('message', (msg, rinfo) => {
  if (msg.length < 48 || (msg[0] & 7) !== 3) return;
  const reply = Buffer.alloc(48);
  reply[0] = (0 << 6) | (4 << 3) | 4;
  reply[1] = 2; // stratum
  reply[2] = 4;
  reply[3] = 0xec;
  Buffer.from([198, 18, 0, 1]).copy(reply, 12);
  ntpNow(reply, 16);
  msg.copy(reply, 24, 40, 48); // originate = client's transmit
  ntpNow(reply, 32);
  ntpNow(reply, 40);
  ntp.send(reply, rinfo.port, rinfo.address);
});

let ready = 0;
const up = () => {
  if (++ready === 3) process.stdout.write('ready\n');
};
dns.bind(Number(dnsPort), addr, up);
ntp.bind(Number(ntpPort), addr, up);
tcp.listen(Number(dnsPort), addr, up);
process.on('SIGTERM', () => process.exit(0));
