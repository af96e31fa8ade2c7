// Verifies an export's manifest.jws with the npm "jose" library (not Nimbus, which the server signs with), against
// the server's published JWKS, and checks that the signed payload is exactly manifest.json.
// Usage: node verify-manifest.mjs <jose package dir> <manifest.jws> <manifest.json> <jwks.json>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [joseDir, jwsFile, manifestFile, jwksFile] = process.argv.slice(2);
const jose = await import(pathToFileURL(join(joseDir, 'dist', 'webapi', 'index.js')).href);
const jws = readFileSync(jwsFile, 'ascii').trim();
const jwks = jose.createLocalJWKSet(JSON.parse(readFileSync(jwksFile, 'utf8')));
const { payload, protectedHeader } = await jose.compactVerify(jws, jwks, { algorithms: ['ES256'] });
const manifest = readFileSync(manifestFile);
if (Buffer.compare(Buffer.from(payload), manifest) !== 0) {
  console.error('payload differs from manifest.json');
  process.exit(1);
}
console.log(`verified ${protectedHeader.typ} kid=${protectedHeader.kid}`);
