// A tiny anycast DNS + NTP responder for tests, run inside a namespace:
//   ip netns exec NS node anycast-responder.mjs ANYCAST_ADDR INSTANCE_NAME UNICAST_ADDR NTP_SKEW_MS [DNS_PORT NTP_PORT]
// DNS (encoded with dns-packet): `*.fleet.test` A -> UNICAST_ADDR (tells which instance answered), TXT ->
// INSTANCE_NAME; else NXDOMAIN. Prints `ready dns-udp=P dns-tcp=P ntp=P` once it listens.
// NTP: a stratum-2 server whose clock is off by NTP_SKEW_MS.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import dnsPacket from 'dns-packet';

const [addr, instance, unicast, skewText, dnsPort = '53', ntpPort = '123'] = process.argv.slice(2);
const skew = Number(skewText ?? 0);

function answer(query) {
  const packet = dnsPacket.decode(query);
  const question = packet.questions[0];
  const name = question?.name.toLowerCase() ?? '';
  const known = name.endsWith('fleet.test');
  const answers = [];
  if (known && question.type === 'A') answers.push({ type: 'A', name: question.name, ttl: 30, data: unicast });
  if (known && question.type === 'TXT') answers.push({ type: 'TXT', name: question.name, ttl: 30, data: instance });
  return dnsPacket.encode({
    type: 'response',
    id: packet.id,
    flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | (known ? 0 : 3), // NOERROR/NXDOMAIN
    questions: packet.questions,
    answers,
  });
}

function ntpNow(buf, offset) {
  const ms = Date.now() + skew;
  buf.writeUInt32BE(Math.floor(ms / 1000) + 2208988800, offset);
  buf.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32), offset + 4);
}

const dns = createSocket('udp4');
dns.on('message', (msg, rinfo) => {
  try {
    dns.send(answer(msg), rinfo.port, rinfo.address);
  } catch {
    // a garbled query gets no answer
  }
});
const tcp = createServer((sock) => {
  let buf = Buffer.alloc(0);
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      let reply;
      try {
        reply = answer(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      } catch {
        sock.destroy();
        return;
      }
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
  // The ports too: a test on loopback binds port 0 and reads them here.
  if (++ready === 3) process.stdout.write(`ready dns-udp=${dns.address().port} dns-tcp=${tcp.address().port} ntp=${ntp.address().port}\n`);
};
dns.bind(Number(dnsPort), addr, up);
ntp.bind(Number(ntpPort), addr, up);
tcp.listen(Number(dnsPort), addr, up);
process.on('SIGTERM', () => process.exit(0));
