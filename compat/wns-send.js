'use strict';
// Sends WNS notifications with the `wns` package and prints one JSON result per job, as a JSON array.
//
//   node wns-send.js '<jobs>'
//
// job: { "kind": "toast" | "tile" | "badge" | "raw", "channel": "<channel URI>",
//        "text": "...", (toast, tile)  "value": 7, (badge)  "payload": "...", (raw)
//        "options": { "client_id": "...", "client_secret": "...", "accessToken": "..."?, "headers": {...}? } }
// result: { kind, ok, statusCode, notificationStatus, deviceConnectionStatus, msgId, error, obtainedNewToken, payload }
//
// The library asks https://login.live.com:443/accesstoken.srf for a token when it has none, or after a 401;
// run with preload-hosts.js so that name reaches the broker.
const wns = require('wns');

function send(job) {
  return new Promise((resolve) => {
    const options = Object.assign({}, job.options);
    let payload;
    const done = (error, result) => {
      const outcome = error || result || {};
      const headers = outcome.headers || {};
      resolve({
        kind: job.kind,
        ok: !error,
        statusCode: outcome.statusCode === undefined ? null : outcome.statusCode,
        notificationStatus: headers['x-wns-notificationstatus'] || null,
        deviceConnectionStatus: headers['x-wns-deviceconnectionstatus'] || null,
        msgId: headers['x-wns-msg-id'] || null,
        error: error ? error.message : null,
        obtainedNewToken: Boolean(outcome.newAccessToken),
        payload,
      });
    };
    try {
      switch (job.kind) {
        case 'toast':
          payload = wns.createToastText01(job.text);
          wns.sendToastText01(job.channel, job.text, options, done);
          break;
        case 'tile':
          payload = wns.createTileSquareText04(job.text);
          wns.sendTileSquareText04(job.channel, job.text, options, done);
          break;
        case 'badge':
          payload = '<badge value="' + job.value + '" version="1"/>';
          wns.sendBadge(job.channel, job.value, options, done);
          break;
        case 'raw':
          payload = job.payload;
          wns.sendRaw(job.channel, job.payload, options, done);
          break;
        default:
          throw new Error('unknown kind ' + job.kind);
      }
    } catch (e) {
      resolve({ kind: job.kind, ok: false, statusCode: null, error: 'thrown: ' + e.message, payload });
    }
  });
}

(async () => {
  const jobs = JSON.parse(process.argv[2]);
  const results = [];
  for (const job of jobs) {
    results.push(await send(job));
  }
  process.stdout.write(JSON.stringify(results) + '\n');
})();
