'use strict';
// Preloaded into Node apps run by `slackctl emulator exec` / `slackctl run --emulator` (NODE_OPTIONS=--require):
// TLS connections to Slack's hosts go through the emulator's CONNECT proxy; every other connection is untouched.
//
// Why here, in tls.connect: Node before 24 ignores HTTPS_PROXY; @slack/web-api builds axios with `proxy: false`
// (so axios's own env-proxy support is off) and reaches https.globalAgent, whose createConnection calls
// tls.connect; @slack/socket-mode's `ws` calls tls.connect itself (no agent); fetch (undici) does too. Wrapping
// tls.connect covers all of them without knowing which agent or library a call came from.
//
// Plain CommonJS with no dependencies: it is shipped as data in slackctl's wheel and runs before the app.

const PROXY = process.env.SLACKCTL_NODE_PROXY;
const SLACK_DOMAINS = ['slack.com', 'slack-gov.com']; // as slackctl/emulator/exec/proxycerts.py SLACK_DOMAINS
const MAX_HEAD = 64 * 1024;

function isSlackHost(host) {
  if (typeof host !== 'string') return false;
  const name = host.toLowerCase().replace(/\.$/, '');
  return SLACK_DOMAINS.some((d) => name === d || name.endsWith('.' + d));
}

// tls.connect(options[, cb]) | (port[, host][, options][, cb]) | (path[, options][, cb]), as Node documents it.
function normalize(args) {
  let i = 0;
  let options = {};
  if (args[i] !== null && typeof args[i] === 'object') {
    options = { ...args[i++] };
  } else {
    const first = args[i];
    if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      options.port = args[i++];
      if (typeof args[i] === 'string') options.host = args[i++];
    } else if (typeof first === 'string') {
      options.path = args[i++];
    }
    if (args[i] !== null && typeof args[i] === 'object') options = { ...args[i++], ...options };
  }
  return [options, typeof args[i] === 'function' ? args[i] : undefined];
}

function install(proxyUrl) {
  const net = require('net');
  const tls = require('tls');
  const { Duplex } = require('stream');

  const proxy = new URL(proxyUrl);
  const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
  const proxyPort = Number(proxy.port) || 80;
  // The proxy answers only clients that know its credential (user:password in the URL slackctl gave us).
  const auth = proxy.username || proxy.password
    ? 'Proxy-Authorization: Basic ' + Buffer.from(
      `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64') + '\r\n'
    : '';
  const shown = `http://${proxy.host}`; // for messages: never the credential

  // A CONNECT tunnel to host:port as a Duplex stream: what TLS writes before the proxy has answered 200 waits
  // (the proxy must see the ClientHello only after its answer), and the answer's own bytes are never passed on.
  class Tunnel extends Duplex {
    constructor(host, port) {
      super();
      this.target = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
      this.open = false;
      this.waiting = null;
      const raw = (this.raw = net.connect(proxyPort, proxyHost));
      raw.setNoDelay(true);
      raw.on('connect', () => raw.write(`CONNECT ${this.target} HTTP/1.1\r\nHost: ${this.target}\r\n${auth}\r\n`));
      raw.on('error', (err) => this.destroy(err));
      raw.on('close', () => {
        if (!this.open) this.destroy(new Error(`slackctl emulator proxy at ${shown} closed the connection ` +
                                               `before answering CONNECT ${this.target}`));
      });
      let head = Buffer.alloc(0);
      const onHead = (chunk) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > MAX_HEAD) this.destroy(new Error('slackctl emulator proxy: answer head too large'));
          return;
        }
        raw.removeListener('data', onHead);
        const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
        if (statusLine.split(' ')[1] !== '200') {
          const body = head.subarray(end + 4).toString('utf8').trim();
          this.destroy(new Error(`slackctl emulator proxy refused CONNECT ${this.target}: ${statusLine}` +
                                 (body ? ` (${body})` : '')));
          return;
        }
        this.open = true;
        raw.on('data', (data) => { if (!this.push(data)) raw.pause(); });
        raw.on('end', () => this.push(null));
        const rest = head.subarray(end + 4);
        if (rest.length) this.push(rest);
        if (this.waiting) {
          const [data, callback] = this.waiting;
          this.waiting = null;
          raw.write(data, callback);
        }
      };
      raw.on('data', onHead);
    }

    _read() {
      if (this.open) this.raw.resume();
    }

    _write(data, encoding, callback) {
      if (this.open) this.raw.write(data, callback);
      else this.waiting = [data, callback]; // Writable calls _write one chunk at a time
    }

    _final(callback) {
      this.raw.end();
      callback();
    }

    _destroy(err, callback) {
      this.raw.destroy();
      callback(err);
    }
  }

  const originalConnect = tls.connect;
  tls.connect = function connect(...args) {
    const [options, callback] = normalize(args);
    // A caller that brings its own socket (e.g. Node 24's env-proxy agent, already tunnelled) or a local
    // socket path, and every host that is not Slack's, gets Node's own behaviour.
    if (options.socket || options.path || !isSlackHost(options.host)) return originalConnect.apply(this, args);
    const host = options.host;
    const port = Number(options.port) || 443;
    const tunnel = new Tunnel(host, port);
    const servername = options.servername || (net.isIP(host) ? undefined : host.replace(/\.$/, ''));
    const socket = originalConnect.call(this, { ...options, host, port, servername, socket: tunnel }, callback);
    // An idle keep-alive socket is unref'd by its agent so the app can exit; the TCP socket to the proxy under
    // it must follow, or it would keep the event loop alive.
    const { ref, unref } = socket;
    socket.ref = function () { tunnel.raw.ref(); return ref.apply(this, arguments); };
    socket.unref = function () { tunnel.raw.unref(); return unref.apply(this, arguments); };
    return socket;
  };
  // An ES module's `import { connect } from 'node:tls'` is a copy taken when tls is first imported as ESM; one
  // taken before this preload ran (by a --import loader earlier in NODE_OPTIONS) is refreshed here.
  require('module').syncBuiltinESMExports();
}

if (PROXY) install(PROXY);
