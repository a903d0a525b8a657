'use strict';
// A small client of the Torrin wire protocol: create, PUT chunks (3 in parallel, each with its SHA-256),
// GET status to resume, POST complete. The upload id is kept in localStorage under a key derived from the file,
// so choosing the same file after a reload resumes the same upload.

const ENDPOINT = '/torrin/uploads';
const CONCURRENCY = 3;
const MAX_ATTEMPTS = 5;
const $ = (id) => document.getElementById(id);

let upload = null;

function storageKey(file) {
  return `torrin-upload:${file.name}:${file.size}:${file.lastModified}`;
}

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(method, path, body, headers = {}, signal = undefined) {
  const response = await fetch(ENDPOINT + path, { method, body, headers, signal });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new ApiError(response.status, json?.error?.code, json?.error?.message ?? response.statusText);
  }
  return json;
}

function isRetryable(error) {
  return !(error instanceof ApiError) || error.status === 423 || error.status >= 500;
}

async function sha256Hex(blob) {
  if (!globalThis.crypto?.subtle) {
    return null; // digests need a secure context (https or localhost)
  }
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function openSession(file) {
  const saved = localStorage.getItem(storageKey(file));
  if (saved) {
    try {
      const status = await api('GET', `/${saved}/status`);
      if (status.status === 'pending' || status.status === 'in_progress') {
        return { id: saved, chunkSize: status.chunkSize, totalChunks: status.totalChunks,
                 received: new Set(status.receivedChunks), resumed: true };
      }
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) {
        throw error;
      }
    }
    localStorage.removeItem(storageKey(file));
  }
  const session = await api('POST', '', JSON.stringify({
    fileName: file.name, fileSize: file.size, mimeType: file.type || undefined,
  }), { 'Content-Type': 'application/json' });
  localStorage.setItem(storageKey(file), session.uploadId);
  return { id: session.uploadId, chunkSize: session.chunkSize, totalChunks: session.totalChunks,
           received: new Set(), resumed: false };
}

function chunkLength(index) {
  const start = index * upload.session.chunkSize;
  return Math.min(upload.file.size, start + upload.session.chunkSize) - start;
}

function render(message) {
  const s = upload.session;
  const sent = s ? [...s.received].reduce((sum, i) => sum + chunkLength(i), 0) : 0;
  const percent = upload.file.size ? Math.floor((100 * sent) / upload.file.size) : 0;
  $('progress').value = percent;
  $('status').textContent = message ?? `${percent}% — ${s.received.size} of ${s.totalChunks} chunks`;
}

async function sendChunk(index) {
  const start = index * upload.session.chunkSize;
  const blob = upload.file.slice(start, start + chunkLength(index));
  const headers = { 'Content-Type': 'application/octet-stream' };
  const hash = await sha256Hex(blob);
  if (hash) {
    headers['X-Torrin-Chunk-Hash'] = hash;
  }
  for (let attempt = 1; ; attempt++) {
    const controller = new AbortController();
    upload.controllers.add(controller);
    try {
      await api('PUT', `/${upload.session.id}/chunks/${index}`, blob, headers, controller.signal);
      upload.session.received.add(index);
      render();
      return;
    } catch (error) {
      if (upload.paused || attempt >= MAX_ATTEMPTS || !isRetryable(error)) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    } finally {
      upload.controllers.delete(controller);
    }
  }
}

async function run() {
  upload.paused = false;
  $('start').disabled = true;
  $('pause').disabled = false;
  $('result').hidden = true;
  try {
    if (!upload.session) {
      render('Starting…');
      upload.session = await openSession(upload.file);
      render(upload.session.resumed
        ? `Resuming: ${upload.session.received.size} of ${upload.session.totalChunks} chunks already on the server`
        : undefined);
    } else {
      const status = await api('GET', `/${upload.session.id}/status`);
      upload.session.received = new Set(status.receivedChunks);
      render();
    }
    const queue = [];
    for (let i = 0; i < upload.session.totalChunks; i++) {
      if (!upload.session.received.has(i)) {
        queue.push(i);
      }
    }
    const worker = async () => {
      while (!upload.paused && queue.length > 0) {
        await sendChunk(queue.shift());
      }
    };
    const results = await Promise.allSettled(Array.from({ length: CONCURRENCY }, worker));
    if (upload.paused) {
      render(`Paused at ${$('progress').value}%. Resume any time, even after a reload.`);
      $('start').textContent = 'Resume';
      $('start').disabled = false;
      return;
    }
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) {
      throw failure.reason;
    }
    render('Completing…');
    const result = await api('POST', `/${upload.session.id}/complete`, '{}', { 'Content-Type': 'application/json' });
    localStorage.removeItem(storageKey(upload.file));
    $('progress').value = 100;
    $('status').textContent = `Done: ${result.fileName} (${result.fileSize} bytes).`;
    $('result').textContent = JSON.stringify(result, null, 2);
    $('result').hidden = false;
    $('pause').disabled = true;
  } catch (error) {
    $('status').textContent = `Failed: ${error.code ?? ''} ${error.message}. Press Resume to try again.`;
    $('start').textContent = 'Resume';
    $('start').disabled = false;
    $('pause').disabled = true;
  }
}

$('file').addEventListener('change', () => {
  const file = $('file').files[0];
  upload = file ? { file, session: null, paused: false, controllers: new Set() } : null;
  $('start').textContent = 'Upload';
  $('start').disabled = !file;
  $('progress').value = 0;
  $('status').textContent = file ? `${file.name}: ${file.size} bytes` : 'Choose a file.';
});

$('start').addEventListener('click', () => run());

$('pause').addEventListener('click', () => {
  upload.paused = true;
  $('pause').disabled = true;
  upload.controllers.forEach((controller) => controller.abort());
});
