/**
 * Preload (`node --require <this file>`, passed through NODE_OPTIONS so workers and child processes get it too)
 * that makes every way of opening a socket throw, and records each attempt with its stack in the file named by
 * SEEK_NET_LOG. The security suite runs the CLI with it and asserts the log stays empty.
 */
import { appendFileSync } from "node:fs";
import dgram = require("node:dgram");
import dns = require("node:dns");
import http = require("node:http");
import https = require("node:https");
import net = require("node:net");
import tls = require("node:tls");

const logFile = process.env.SEEK_NET_LOG;

function blocked(what: string): never {
    const stack = new Error(what).stack ?? what;
    if (logFile) appendFileSync(logFile, `${JSON.stringify({ pid: process.pid, what, stack })}\n`);
    throw new Error(`network access blocked by the Seek test preload: ${what}`);
}

function patch<T extends object>(obj: T, key: keyof T & string, label: string): void {
    Object.defineProperty(obj, key, { value: () => blocked(label), writable: true, configurable: true });
}

patch(net.Socket.prototype, "connect", "net.Socket.connect");
patch(net.Server.prototype, "listen", "net.Server.listen");
patch(net, "connect", "net.connect");
patch(net, "createConnection", "net.createConnection");
patch(tls, "connect", "tls.connect");
patch(dgram, "createSocket", "dgram.createSocket");
patch(http, "request", "http.request");
patch(http, "get", "http.get");
patch(https, "request", "https.request");
patch(https, "get", "https.get");
patch(dns, "lookup", "dns.lookup");
patch(dns, "resolve", "dns.resolve");
patch(dns.promises, "lookup", "dns.promises.lookup");
patch(dns.promises, "resolve", "dns.promises.resolve");
patch(globalThis as unknown as { fetch: unknown }, "fetch", "fetch");
if (typeof (globalThis as { WebSocket?: unknown }).WebSocket !== "undefined") {
    patch(globalThis as unknown as { WebSocket: unknown }, "WebSocket", "WebSocket");
}
