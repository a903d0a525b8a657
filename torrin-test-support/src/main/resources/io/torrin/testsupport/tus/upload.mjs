// Drives tus-js-client (the real npm package, pinned in package.json) for Torrin's interop tests.
// Started by io.torrin.testsupport.tus.NodeTusClientRunner; runnable by hand as well:
//
//   node upload.mjs <endpoint|-> <file> [options]
//
// Options:
//   --chunk-size <n>          bytes per PATCH request (tus-js-client's chunkSize; default: the whole file)
//   --stop-after <n>          abort once at least n bytes were acknowledged by the server during this run
//                             (single upload: once the server's offset is >= n); the upload stays resumable
//   --terminate               with --stop-after: abort(true), which also deletes the upload (termination)
//   --resume-url <url>        resume this upload (HEAD, then PATCH); never creates a new upload
//   --url-storage <path>      keep fingerprints and upload URLs in this JSON file (tus-js-client's FileUrlStorage)
//   --resume-previous         with --url-storage: findPreviousUploads() and resume the newest; never creates
//   --deferred-length         uploadLengthDeferred: true (Upload-Defer-Length, length sent with the last PATCH)
//   --parallel <n>            parallelUploads: n (concatenation extension: n partial uploads, then a final one)
//   --data-during-creation    uploadDataDuringCreation: true (creation-with-upload: the first chunk in the POST)
//   --override-patch-method   send PATCH as POST with X-HTTP-Method-Override: PATCH
//   --metadata <key=value>    add or replace an Upload-Metadata entry (repeatable); the defaults are
//                             filename=<the file's name> and filetype=application/octet-stream
//   --header <name=value>     an extra request header (repeatable)
//   --retry-delays <a,b,...>  tus-js-client's retryDelays in ms (default: none, so every error surfaces)
//   --protocol <name>         tus-js-client's protocol: tus-v1 (default), ietf-draft-03 or ietf-draft-05
//
// Output, one event per line on standard output (diagnostics go to standard error):
//   REQUEST <method> <url> <status> <Upload-Offset|-> <Location|->   every response; method POST(PATCH) if overridden
//   URL <url>                 the upload URL, as soon as the client knows it
//   ACK <chunk> <accepted> <total|->   onChunkComplete: bytes in the chunk, the (part's) server offset, its length
//   PREVIOUS <n>              with --resume-previous: how many previous uploads the URL storage held
//   OFFSET <n>                at the end, single uploads only: the upload's offset as last reported by the server
//   ACCEPTED <n>              at the end: bytes acknowledged by the server during this run (all parts)
//   DONE | ABORTED            how it ended (exit status 0)
//   ERROR <status|-> <message>   on failure (exit status 1; 2 for bad arguments)
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { FileUrlStorage, Upload } from 'tus-js-client'

function emit(line) {
  process.stdout.write(`${line}\n`)
}

function fail(status, error, exitCode = 1) {
  const message = String(error?.message ?? error).replace(/\s*\n\s*/g, ' | ')
  emit(`ERROR ${status ?? '-'} ${message}`)
  if (error?.stack) {
    process.stderr.write(`${error.stack}\n`)
  }
  process.exit(exitCode)
}

function keyValues(list, what) {
  const result = {}
  for (const entry of list ?? []) {
    const at = entry.indexOf('=')
    if (at <= 0) {
      fail(null, `${what} must be key=value: ${entry}`, 2)
    }
    result[entry.slice(0, at)] = entry.slice(at + 1)
  }
  return result
}

function nonNegative(value, what) {
  if (value === undefined) {
    return undefined
  }
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0) {
    fail(null, `${what} must be a non-negative integer: ${value}`, 2)
  }
  return n
}

process.on('unhandledRejection', (error) => fail(null, error))
process.on('uncaughtException', (error) => fail(null, error))

let parsed
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      'chunk-size': { type: 'string' },
      'stop-after': { type: 'string' },
      terminate: { type: 'boolean' },
      'resume-url': { type: 'string' },
      'url-storage': { type: 'string' },
      'resume-previous': { type: 'boolean' },
      'deferred-length': { type: 'boolean' },
      parallel: { type: 'string' },
      'data-during-creation': { type: 'boolean' },
      'override-patch-method': { type: 'boolean' },
      metadata: { type: 'string', multiple: true },
      header: { type: 'string', multiple: true },
      'retry-delays': { type: 'string' },
      protocol: { type: 'string' },
    },
  })
} catch (e) {
  fail(null, e, 2)
}
const { values: opts, positionals } = parsed
if (positionals.length !== 2) {
  fail(null, 'usage: node upload.mjs <endpoint|-> <file> [options]', 2)
}
const [endpointArg, filePath] = positionals
const chunkSize = nonNegative(opts['chunk-size'], '--chunk-size')
const stopAfter = nonNegative(opts['stop-after'], '--stop-after')
const parallel = nonNegative(opts.parallel, '--parallel') ?? 1
const resuming = opts['resume-url'] !== undefined || opts['resume-previous'] === true
if (opts['resume-previous'] && !opts['url-storage']) {
  fail(null, '--resume-previous needs --url-storage', 2)
}
if (chunkSize === 0) {
  fail(null, '--chunk-size must be positive', 2)
}

const file = readFileSync(filePath) // tus-js-client in Node takes a Buffer (or a stream), not a path
const metadata = {
  filename: basename(filePath),
  filetype: 'application/octet-stream',
  ...keyValues(opts.metadata, '--metadata'),
}
const parallelMode = parallel > 1

let accepted = 0
let lastOffset = null
let stopping = false
let upload

const options = {
  // Resuming an explicit URL passes no endpoint, so a failed resume cannot quietly create a new upload.
  endpoint: opts['resume-url'] !== undefined || endpointArg === '-' ? null : endpointArg,
  uploadUrl: opts['resume-url'] ?? null,
  metadata,
  headers: keyValues(opts.header, '--header'),
  retryDelays: opts['retry-delays'] ? opts['retry-delays'].split(',').map(Number) : null,
  uploadLengthDeferred: opts['deferred-length'] === true,
  uploadDataDuringCreation: opts['data-during-creation'] === true,
  overridePatchMethod: opts['override-patch-method'] === true,
  protocol: opts.protocol ?? 'tus-v1',
  storeFingerprintForResuming: opts['url-storage'] !== undefined,
  removeFingerprintOnSuccess: false,
  onBeforeRequest(req) {
    // A resume must never turn into a new upload (tus-js-client would otherwise create one when the HEAD fails).
    // The final concatenation request of a resumed parallel upload is the one POST allowed.
    if (resuming && req.getMethod() === 'POST' && !req.getHeader('X-HTTP-Method-Override')
        && !String(req.getHeader('Upload-Concat') ?? '').startsWith('final;')) {
      throw new Error(`resuming, but the client tried to create a new upload at ${req.getURL()}`)
    }
  },
  onAfterResponse(req, res) {
    const method = req.getHeader('X-HTTP-Method-Override')
      ? `${req.getMethod()}(${req.getHeader('X-HTTP-Method-Override')})`
      : req.getMethod()
    const offset = res.getHeader('Upload-Offset')
    emit(`REQUEST ${method} ${req.getURL()} ${res.getStatus()} ${offset ?? '-'} ${res.getHeader('Location') ?? '-'}`)
    if (!parallelMode && offset != null && res.getStatus() >= 200 && res.getStatus() < 300) {
      lastOffset = Number(offset)
    }
  },
  onUploadUrlAvailable() {
    emit(`URL ${upload.url}`)
  },
  onChunkComplete(chunk, bytesAccepted, bytesTotal) {
    accepted += chunk
    emit(`ACK ${chunk} ${bytesAccepted} ${bytesTotal ?? '-'}`)
    if (stopAfter === undefined || stopping) {
      return
    }
    const reached = parallelMode ? accepted >= stopAfter : bytesAccepted >= stopAfter
    const complete = parallelMode ? accepted >= file.length : bytesTotal != null && bytesAccepted >= bytesTotal
    if (reached && !complete) {
      stopping = true
      // Called from the callback: tus-js-client sends no further PATCH after this.
      upload.abort(opts.terminate === true).then(
        () => finish('ABORTED'),
        (error) => fail(error?.originalResponse?.getStatus?.(), error),
      )
    }
  },
  onSuccess() {
    if (!stopping) {
      finish('DONE')
    }
  },
  onError(error) {
    fail(error?.originalResponse?.getStatus?.(), error)
  },
}
if (chunkSize !== undefined) {
  options.chunkSize = chunkSize
}
if (parallelMode) {
  options.parallelUploads = parallel
}
if (opts['url-storage'] !== undefined) {
  options.urlStorage = new FileUrlStorage(opts['url-storage'])
}

function finish(outcome) {
  if (parallelMode && upload.url) {
    emit(`URL ${upload.url}`) // a parallel upload's final URL exists only once the parts are concatenated
  }
  if (lastOffset !== null) {
    emit(`OFFSET ${lastOffset}`)
  }
  emit(`ACCEPTED ${accepted}`)
  emit(outcome)
  process.exit(0)
}

upload = new Upload(file, options)
if (opts['resume-previous']) {
  let previous
  try {
    previous = await upload.findPreviousUploads()
  } catch (error) {
    fail(null, error)
  }
  emit(`PREVIOUS ${previous.length}`)
  if (previous.length === 0) {
    fail(null, 'no previous upload of this file in the URL storage')
  }
  previous.sort((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime))
  upload.resumeFromPreviousUpload(previous[0])
}
upload.start()
