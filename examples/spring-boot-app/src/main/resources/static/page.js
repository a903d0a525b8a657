'use strict';
// The upload page around upload.js: several files at once (chosen or dropped), each with progress, rate, time left,
// pause/resume and cancel. This browser's localStorage remembers, per file (name, size, last modification), the id of
// its unfinished upload, so that choosing the file again after a reload resumes it, and the list of finished uploads
// with their download links. Nothing is listed on the server: the example has no accounts, and an upload's id is
// what lets its owner download it.

const UNFINISHED_PREFIX = 'torrin-upload:';
const FINISHED_KEY = 'torrin-finished';
const MAX_FINISHED = 50;
const RATE_WINDOW_MS = 5000;
const $ = (id) => document.getElementById(id);

/** The rows of the uploads list by storage key: {key, fileName, fileSize, element, meter, upload?, uploadId?}. */
const rows = new Map();

function storageKey(file) {
  return `${UNFINISHED_PREFIX}${file.name}:${file.size}:${file.lastModified}`;
}

function formatBytes(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function formatDuration(seconds) {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ${s % 60} s`;
  }
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Bytes per second over the last few seconds. */
class RateMeter {
  constructor() {
    this.samples = [];
  }

  reset() {
    this.samples = [];
  }

  sample(bytes) {
    const now = performance.now();
    this.samples.push([now, bytes]);
    while (this.samples.length > 2 && now - this.samples[1][0] >= RATE_WINDOW_MS) {
      this.samples.shift();
    }
  }

  /** The rate, or null before a quarter of a second has been measured. */
  rate() {
    if (this.samples.length < 2) {
      return null;
    }
    const [t0, b0] = this.samples[0];
    const [t1, b1] = this.samples[this.samples.length - 1];
    return t1 - t0 < 250 ? null : Math.max(0, ((b1 - b0) * 1000) / (t1 - t0));
  }
}

// ---- finished uploads ------------------------------------------------------------------------------------------

const unavailable = new Set();

function contentUrl(uploadId) {
  return `${ENDPOINT}/${encodeURIComponent(uploadId)}/content`;
}

function loadFinished() {
  try {
    const list = JSON.parse(localStorage.getItem(FINISHED_KEY));
    return Array.isArray(list) ? list : [];
  } catch (ignored) {
    return [];
  }
}

function saveFinished(list) {
  localStorage.setItem(FINISHED_KEY, JSON.stringify(list.slice(0, MAX_FINISHED)));
  renderFinished();
}

function addFinished(entry) {
  saveFinished([entry, ...loadFinished().filter((e) => e.uploadId !== entry.uploadId)]);
}

function forget(uploadId) {
  saveFinished(loadFinished().filter((e) => e.uploadId !== uploadId));
}

function renderFinished() {
  const list = loadFinished();
  $('finished-empty').hidden = list.length > 0;
  $('finished').replaceChildren(...list.map((entry) => {
    const item = document.createElement('li');
    item.dataset.uploadId = entry.uploadId;
    item.dataset.fileName = entry.fileName;
    const link = document.createElement('a');
    link.href = contentUrl(entry.uploadId);
    link.download = entry.fileName;
    link.textContent = entry.fileName;
    const meta = document.createElement('span');
    meta.className = 'meta';
    const when = entry.completedAt ? ` · ${new Date(entry.completedAt).toLocaleString()}` : '';
    meta.textContent = `${formatBytes(entry.fileSize)}${when}`;
    if (unavailable.has(entry.uploadId)) {
      item.className = 'gone';
      meta.textContent += ' · no longer on the server';
    }
    const grow = document.createElement('span');
    grow.className = 'grow';
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'secondary forget';
    remove.textContent = 'Remove from list';
    remove.addEventListener('click', () => forget(entry.uploadId));
    item.append(link, meta, grow, remove);
    return item;
  }));
}

/** Marks the finished uploads the server no longer serves (their record outlived the finished retention). */
async function checkFinished() {
  await Promise.all(loadFinished().map(async ({ uploadId }) => {
    try {
      const response = await fetch(contentUrl(uploadId), { method: 'HEAD', cache: 'no-store' });
      if (response.status === 404 || response.status === 409) {
        unavailable.add(uploadId);
      }
    } catch (ignored) {
      // the server is unreachable: keep the link, it may work later
    }
  }));
  renderFinished();
}

// ---- uploads in progress ---------------------------------------------------------------------------------------

function createRow(key, fileName, fileSize) {
  const element = document.createElement('li');
  element.className = 'upload';
  element.dataset.key = key;
  element.dataset.fileName = fileName;
  element.innerHTML = '<div class="row"><span class="grow name"></span><span class="meta size"></span></div>'
    + '<progress max="100" value="0"></progress>'
    + '<div class="row"><span class="grow meta status"></span>'
    + '<button type="button" class="toggle"></button>'
    + '<button type="button" class="secondary cancel">Cancel</button></div>';
  element.querySelector('.name').textContent = fileName;
  element.querySelector('.size').textContent = formatBytes(fileSize);
  const row = { key, fileName, fileSize, element, meter: new RateMeter(), sentOnServer: 0, note: null };
  element.querySelector('.toggle').addEventListener('click', () => toggle(row));
  element.querySelector('.cancel').addEventListener('click', () => cancel(row));
  $('uploads').append(element);
  rows.set(key, row);
  return row;
}

function removeRow(row) {
  localStorage.removeItem(row.key);
  rows.delete(row.key);
  row.element.remove();
}

function statusText(row, state, percent, sent) {
  const upload = row.upload;
  switch (state) {
    case 'waiting':
      return row.note ?? `${percent} % on the server. Choose or drop this file again to resume.`;
    case 'uploading': {
      const rate = row.meter.rate();
      if (rate === null) {
        return `${percent} %`;
      }
      const left = rate > 0 ? `${formatDuration((row.fileSize - sent) / rate)} left` : 'stalled';
      return `${percent} % · ${formatBytes(rate)}/s · ${left}`;
    }
    case 'paused':
      return `Paused at ${percent} %. Resume any time, even after a reload.`;
    case 'completing':
      return 'Completing…';
    case 'failed':
      return `Failed: ${upload.error?.code ?? ''} ${upload.error?.message ?? ''}. Resume to try again.`;
    default:
      return 'Starting…';
  }
}

function render(row) {
  const upload = row.upload;
  const state = upload ? upload.state : 'waiting';
  const sent = upload?.session ? upload.sentBytes : row.sentOnServer;
  const percent = row.fileSize ? Math.floor((100 * sent) / row.fileSize) : 0;
  if (state === 'uploading') {
    row.meter.sample(sent);
  } else {
    row.meter.reset();
  }
  row.element.dataset.state = state;
  const id = upload?.session?.id ?? row.uploadId;
  if (id) {
    row.element.dataset.uploadId = id;
  }
  row.element.querySelector('progress').value = percent;
  row.element.querySelector('.status').textContent = statusText(row, state, percent, sent);
  const toggleButton = row.element.querySelector('.toggle');
  toggleButton.textContent = { waiting: 'Choose file', uploading: 'Pause' }[state] ?? 'Resume';
  toggleButton.disabled = !['waiting', 'uploading', 'paused', 'failed'].includes(state);
}

function changed(row) {
  const upload = row.upload;
  if (upload.state === 'done') {
    removeRow(row);
    addFinished({
      uploadId: upload.result.uploadId, fileName: upload.result.fileName, fileSize: upload.result.fileSize,
      completedAt: new Date().toISOString(),
    });
    $('notice').textContent = `Finished ${upload.result.fileName}.`;
  } else if (upload.state === 'canceled') {
    removeRow(row);
    $('notice').textContent = `Canceled ${row.fileName}; the server discarded what it had received.`;
  } else {
    render(row);
  }
}

function addFiles(files) {
  for (const file of files) {
    if (file.size === 0) {
      $('notice').textContent = `${file.name} is empty (or a folder): nothing to upload.`;
      continue;
    }
    const key = storageKey(file);
    const row = rows.get(key) ?? createRow(key, file.name, file.size);
    if (row.upload) {
      continue; // already uploading this file
    }
    row.upload = new TorrinUpload(file, {
      resumeId: row.uploadId ?? localStorage.getItem(key),
      onChange: () => changed(row),
      onSession: (upload) => localStorage.setItem(key, upload.session.id),
    });
    row.upload.start();
  }
}

function toggle(row) {
  if (!row.upload) {
    $('files').click();
  } else if (row.upload.state === 'uploading') {
    row.upload.pause();
  } else {
    row.upload.start();
  }
}

async function cancel(row) {
  const button = row.element.querySelector('.cancel');
  button.disabled = true;
  try {
    if (row.upload) {
      await row.upload.cancel(); // its change to canceled removes the row
    } else {
      await discardUpload(row.uploadId);
      removeRow(row);
      $('notice').textContent = `Canceled ${row.fileName}; the server discarded what it had received.`;
    }
  } catch (error) {
    row.note = `Could not cancel: ${error.message}`;
    $('notice').textContent = row.note;
    button.disabled = false;
  }
}

/** Shows the unfinished uploads this browser remembers, each waiting for its file to be chosen again. */
async function restore() {
  const keys = Object.keys(localStorage).filter((key) => key.startsWith(UNFINISHED_PREFIX));
  await Promise.all(keys.map(async (key) => {
    const uploadId = localStorage.getItem(key);
    const [, fileName, fileSize] = /^torrin-upload:(.*):(\d+):\d+$/s.exec(key) ?? [null, key, '0'];
    let status = null;
    try {
      status = await api('GET', `/${uploadId}/status`);
    } catch (error) {
      if (isGone(error)) {
        localStorage.removeItem(key);
        return;
      }
    }
    if (rows.has(key)) {
      return; // the file was chosen again in the meantime
    }
    if (status?.status === 'completed') {
      localStorage.removeItem(key);
      addFinished({ uploadId, fileName: status.fileName, fileSize: status.fileSize, completedAt: null });
      return;
    }
    if (status && status.status !== 'pending' && status.status !== 'in_progress') {
      localStorage.removeItem(key);
      return;
    }
    const row = createRow(key, fileName, Number(fileSize));
    row.uploadId = uploadId;
    if (status) {
      row.sentOnServer = status.receivedChunks
        .reduce((sum, i) => sum + Math.min(status.chunkSize, status.fileSize - i * status.chunkSize), 0);
    } else {
      row.note = 'The server could not be reached; choose the file again to retry.';
    }
    render(row);
  }));
}

const drop = $('drop');
['dragenter', 'dragover'].forEach((type) => drop.addEventListener(type, (event) => {
  event.preventDefault();
  event.dataTransfer.dropEffect = 'copy';
  drop.classList.add('over');
}));
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  addFiles([...event.dataTransfer.files]);
});
// a file dropped beside the drop zone must not make the browser leave the page to show it
window.addEventListener('dragover', (event) => event.preventDefault());
window.addEventListener('drop', (event) => event.preventDefault());

$('files').addEventListener('change', () => {
  addFiles([...$('files').files]);
  $('files').value = ''; // so that choosing the same file again is a change too
});

// the rate and time left decay while a file makes no progress
setInterval(() => rows.forEach((row) => {
  if (row.upload?.state === 'uploading') {
    render(row);
  }
}), 1000);

renderFinished();
checkFinished();
restore();
