'use strict';
// Loaded with NODE_OPTIONS="--require <this file>". Resolves the host names listed in WAKELINE_TEST_HOSTS
// ("login.live.com=127.0.0.1,localhost=127.0.0.1") to the given addresses, so a library with a hard-coded
// host (wns posts its token request to https://login.live.com:443/accesstoken.srf) reaches a local broker.
// Every other name resolves as usual.
const dns = require('dns');

const hosts = new Map(
  (process.env.WAKELINE_TEST_HOSTS || '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, address] = entry.split('=');
      return [name.toLowerCase(), address];
    }),
);

const systemLookup = dns.lookup;

dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = {};
  } else if (typeof options === 'number') {
    options = { family: options };
  }
  const address = hosts.get(String(hostname).toLowerCase());
  if (!address) {
    return systemLookup.call(dns, hostname, options, callback);
  }
  const family = address.includes(':') ? 6 : 4;
  if (options && options.all) {
    return process.nextTick(callback, null, [{ address, family }]);
  }
  return process.nextTick(callback, null, address, family);
};
