'use strict';
// A small client of the Torrin wire protocol (docs/protocol.md): create, PUT chunks (each with its SHA-256),
// GET status to resume, POST complete, DELETE to cancel. No dependencies and no build step; page.js draws the page
// around it. Chunks go out with XMLHttpRequest because, unlike fetch, it reports the bytes sent while a body is
// still on its way, which is what the progress bar and the transfer rate show.

const ENDPOINT = '/torrin/uploads';
const CHUNKS_PER_UPLOAD = 3;
const MAX_ATTEMPTS = 5;
const JSON_HEADERS = { 'Content-Type': 'application/json' };

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function apiError(status, text, statusText) {
  let error = null;
  try {
    error = text ? JSON.parse(text).error : null;
  } catch (ignored) {
    // not the Torrin error envelope (a proxy's page, for example)
  }
  return new ApiError(status, error?.code, error?.message ?? statusText);
}

async function api(method, path, body = undefined, headers = {}) {
  const response = await fetch(ENDPOINT + path, { method, body, headers, cache: 'no-store' });
  const text = await response.text();
  if (!response.ok) {
    throw apiError(response.status, text, response.statusText);
  }
  return text ? JSON.parse(text) : null;
}

function isRetryable(error) {
  return !(error instanceof ApiError) || error.status === 423 || error.status >= 500;
}

function isGone(error) {
  return error instanceof ApiError && (error.status === 404 || error.code === 'UPLOAD_CANCELED');
}

async function sha256Hex(blob) {
  if (!globalThis.crypto?.subtle) {
    return null; // digests need a secure context (https or localhost)
  }
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Removes an upload and its bytes from the server (DELETE); one already gone counts as removed. */
async function discardUpload(id) {
  if (!id) {
    return;
  }
  try {
    await api('DELETE', `/${id}`);
  } catch (error) {
    if (!isGone(error)) {
      throw error;
    }
  }
}

/** Bounds the chunk requests in flight over all uploads, so that several files share the browser's connections. */
class Slots {
  constructor(size) {
    this.free = size;
    this.waiting = [];
  }

  acquire() {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release() {
    const next = this.waiting.shift();
    if (next) {
      next();
    } else {
      this.free++;
    }
  }
}

const slots = new Slots(4);

/**
 * One file's upload. `state` is idle, uploading, paused, completing, done, failed or canceled; `listener` is
 * called on every change of state and of the bytes sent, and `onSession` once the server has given the upload its id.
 */
class TorrinUpload {
  constructor(file, { resumeId = null, onChange = () => {}, onSession = () => {} } = {}) {
    this.file = file;
    this.resumeId = resumeId;
    this.onChange = onChange;
    this.onSession = onSession;
    this.session = null;
    this.received = new Set();
    this.inFlight = new Map();
    this.aborts = new Set();
    this.state = 'idle';
    this.error = null;
    this.result = null;
    this.stopped = false;
    this.running = Promise.resolve();
  }

  get sentBytes() {
    let sent = 0;
    this.received.forEach((index) => { sent += this.chunkLength(index); });
    this.inFlight.forEach((bytes) => { sent += bytes; });
    return sent;
  }

  chunkLength(index) {
    const start = index * this.session.chunkSize;
    return Math.min(this.file.size, start + this.session.chunkSize) - start;
  }

  /** Starts or resumes; does nothing while running or after the end. */
  start() {
    if (['idle', 'paused', 'failed'].includes(this.state)) {
      this.stopped = false;
      this.running = this.run();
    }
    return this.running;
  }

  /** Stops sending: requests in flight are aborted, what the server has is kept for a later start. */
  pause() {
    if (this.state === 'uploading') {
      this.stopped = true;
      this.aborts.forEach((abort) => abort());
    }
  }

  /** Pauses, then removes the upload and its bytes from the server. */
  async cancel() {
    this.pause();
    await this.running;
    if (this.state === 'done') {
      return;
    }
    try {
      await discardUpload(this.session?.id ?? this.resumeId);
    } catch (error) {
      this.change('failed', error);
      throw error;
    }
    this.change('canceled');
  }

  change(state, error = null) {
    this.state = state;
    this.error = error;
    this.onChange(this);
  }

  async run() {
    this.change('uploading');
    try {
      await this.open();
      await this.sendMissing();
      if (this.stopped) {
        this.change('paused');
        return;
      }
      this.change('completing');
      this.result = await api('POST', `/${this.session.id}/complete`, '{}', JSON_HEADERS);
      this.change('done');
    } catch (error) {
      this.change(this.stopped ? 'paused' : 'failed', this.stopped ? null : error);
    }
  }

  /** Finds the upload on the server (after a pause, a failure or a reload), or creates it. */
  async open() {
    const id = this.session?.id ?? this.resumeId;
    if (id) {
      try {
        const status = await api('GET', `/${id}/status`);
        if (status.status === 'pending' || status.status === 'in_progress') {
          this.session = { id, chunkSize: status.chunkSize, totalChunks: status.totalChunks };
          this.received = new Set(status.receivedChunks);
          return;
        }
      } catch (error) {
        if (!isGone(error)) {
          throw error;
        }
      }
    }
    const created = await api('POST', '', JSON.stringify({
      fileName: this.file.name, fileSize: this.file.size, mimeType: this.file.type || undefined,
    }), JSON_HEADERS);
    this.session = { id: created.uploadId, chunkSize: created.chunkSize, totalChunks: created.totalChunks };
    this.received = new Set();
    this.onSession(this);
  }

  async sendMissing() {
    const queue = [];
    for (let i = 0; i < this.session.totalChunks; i++) {
      if (!this.received.has(i)) {
        queue.push(i);
      }
    }
    const worker = async () => {
      while (!this.stopped && queue.length > 0) {
        await slots.acquire();
        try {
          if (!this.stopped && queue.length > 0) {
            await this.sendChunk(queue.shift());
          }
        } finally {
          slots.release();
        }
      }
    };
    const results = await Promise.allSettled(Array.from({ length: CHUNKS_PER_UPLOAD }, worker));
    const failure = results.find((r) => r.status === 'rejected');
    if (failure && !this.stopped) {
      throw failure.reason;
    }
  }

  async sendChunk(index) {
    const start = index * this.session.chunkSize;
    const blob = this.file.slice(start, start + this.chunkLength(index));
    const headers = { 'Content-Type': 'application/octet-stream' };
    const hash = await sha256Hex(blob);
    if (hash) {
      headers['X-Torrin-Chunk-Hash'] = hash;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.put(`/${this.session.id}/chunks/${index}`, blob, headers, index);
        this.received.add(index);
        return;
      } catch (error) {
        if (this.stopped || attempt >= MAX_ATTEMPTS || !isRetryable(error)) {
          throw error;
        }
        await this.sleep(500 * 2 ** attempt);
      } finally {
        this.inFlight.delete(index);
        this.onChange(this);
      }
    }
  }

  put(path, blob, headers, index) {
    return new Promise((resolve, reject) => {
      if (this.stopped) {
        reject(new Error('paused')); // paused while the chunk was being hashed
        return;
      }
      const xhr = new XMLHttpRequest();
      const abort = () => xhr.abort();
      const settle = (error) => {
        this.aborts.delete(abort);
        if (error) {
          reject(error);
        } else {
          resolve();
        }
      };
      xhr.open('PUT', ENDPOINT + path);
      Object.entries(headers).forEach(([name, value]) => xhr.setRequestHeader(name, value));
      xhr.upload.onprogress = (event) => {
        this.inFlight.set(index, event.loaded);
        this.onChange(this);
      };
      xhr.onload = () => settle(xhr.status >= 200 && xhr.status < 300
        ? null : apiError(xhr.status, xhr.responseText, xhr.statusText));
      xhr.onerror = () => settle(new Error('the connection failed'));
      xhr.onabort = () => settle(new Error('paused'));
      this.aborts.add(abort);
      xhr.send(blob);
    });
  }

  /** Waits before a retry; a pause ends the wait at once. */
  sleep(millis) {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.aborts.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, millis);
      this.aborts.add(wake);
    });
  }
}
