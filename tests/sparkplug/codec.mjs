// The SCADA host's codec in the Sparkplug test: Eclipse Tahu's sparkplug-payload (npm), a decoder
// written apart from ours. One JSON request per line on stdin, one JSON answer per line on stdout:
//   {"decode": "<payload as hex>"}   -> the payload as sparkplug-payload reads it
//   {"encode": {<payload object>}}   -> {"hex": "<the bytes>"}
// 64-bit numbers (Long) come out as JSON numbers; an error as {"error": "..."}.
import { createRequire } from 'node:module';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const sparkplug = require('sparkplug-payload').get('spBv1.0');

function plain(value) {
  if (value === null || value === undefined) return value;
  if (typeof value === 'object' && typeof value.toNumber === 'function' && 'low' in value && 'high' in value) return value.toNumber();
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    const request = JSON.parse(line);
    if ('decode' in request) answer = plain(sparkplug.decodePayload(Buffer.from(request.decode, 'hex')));
    else answer = { hex: Buffer.from(sparkplug.encodePayload(request.encode)).toString('hex') };
  } catch (error) {
    answer = { error: String(error && error.message ? error.message : error) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
