'use strict';
// Drives the `web-push` package (the reference Web Push sender) and prints JSON.
//
//   node web-push.js keys
//       { vapid: { publicKey, privateKey }, ua: { p256dh, auth, privateKey } }   (base64url)
//       A VAPID key pair for an application server, and a user agent's ECDH key pair and auth secret
//       (what a browser would hand the app server along with the endpoint).
//   node web-push.js send '<jobs>'
//       job: { endpoint, keys: { p256dh, auth }, payload: "text", options: { TTL, urgency, topic, vapidDetails, ... } }
//       result: { ok, statusCode, headers, body, error: { name, message, statusCode, body } }
//   node web-push.js decrypt '<{ ciphertext (base64), ua: { privateKey, p256dh, auth } }>'
//       { plaintext }   (what the user agent reads: RFC 8291 aes128gcm)
const crypto = require('crypto');
const webpush = require('web-push');
const ece = require('http_ece');

const b64 = (buffer) => Buffer.from(buffer).toString('base64url');

function keys() {
  const ua = crypto.createECDH('prime256v1');
  ua.generateKeys();
  return {
    vapid: webpush.generateVAPIDKeys(),
    ua: { p256dh: b64(ua.getPublicKey()), auth: b64(crypto.randomBytes(16)), privateKey: b64(ua.getPrivateKey()) },
  };
}

async function send(job) {
  try {
    const response = await webpush.sendNotification({ endpoint: job.endpoint, keys: job.keys }, job.payload, job.options);
    return { ok: true, statusCode: response.statusCode, headers: response.headers, body: response.body };
  } catch (error) {
    return {
      ok: false,
      statusCode: error.statusCode === undefined ? null : error.statusCode,
      headers: error.headers || {},
      error: { name: error.name, message: error.message, statusCode: error.statusCode, body: error.body },
    };
  }
}

function decrypt(input) {
  const ua = crypto.createECDH('prime256v1');
  ua.setPrivateKey(Buffer.from(input.ua.privateKey, 'base64url'));
  const plaintext = ece.decrypt(Buffer.from(input.ciphertext, 'base64'), {
    version: 'aes128gcm',
    privateKey: ua,
    authSecret: input.ua.auth,
  });
  return { plaintext: plaintext.toString('utf8') };
}

(async () => {
  const [command, argument] = process.argv.slice(2);
  let output;
  if (command === 'keys') {
    output = keys();
  } else if (command === 'send') {
    output = [];
    for (const job of JSON.parse(argument)) {
      output.push(await send(job));
    }
  } else if (command === 'decrypt') {
    output = decrypt(JSON.parse(argument));
  } else {
    throw new Error('usage: web-push.js keys | send <jobs> | decrypt <input>');
  }
  process.stdout.write(JSON.stringify(output) + '\n');
})();
