// The Node comparison peer of Torrin's tus benchmark: @tus/server with @tus/file-store, default options,
// on 127.0.0.1 at /files.
//
//   node tus-peer.mjs <port, 0 for a free one> <storage directory>
//
// Prints "listening on <port> ..." once it accepts connections; stop it with SIGTERM. An upload's bytes are the plain
// file <storage directory>/<id> (its metadata is <id>.json next to it). @tus/file-store appends each PATCH through a
// write stream and never calls fsync: acknowledged bytes are in the page cache.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';

const [portArgument, directory] = process.argv.slice(2);
const port = Number(portArgument);
if (!directory || !Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('usage: node tus-peer.mjs <port|0> <storage directory>');
  process.exit(2);
}

const tus = new Server({ path: '/files', datastore: new FileStore({ directory }) });
const server = http.createServer((req, res) => tus.handle(req, res));
const version = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;

server.listen(port, '127.0.0.1', () => {
  console.log(`listening on ${server.address().port} (node ${process.version}, @tus/server ${version('@tus/server')},`
    + ` @tus/file-store ${version('@tus/file-store')})`);
});
