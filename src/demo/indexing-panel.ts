// Getting documents in: the sample corpus, files (chosen or dropped, several at
// once), or pasted text; a preview of the passages before anything is embedded;
// then progress with rate and ETA, and Stop (batches already saved stay).
import { isPagesenseError, type DocumentInput, type Progress } from '../index.ts';
import { byId, el, formatDuration } from './elements.ts';
import { prepareFile, readFiles, type PreparedFile } from './document-files.ts';
import type { SearchBackend } from './search-backend.ts';
import { SAMPLE_DOCUMENTS } from './sample-corpus.ts';

export interface IndexingPanel {
  /** Adds documents now, without a preview (the sample corpus). */
  add(docs: DocumentInput[], label: string): Promise<void>;
  setEnabled(enabled: boolean): void;
}

interface PanelHooks {
  backend: SearchBackend;
  showError(err: unknown): void;
  clearError(): void;
  /** The collection changed (rows landed, cleared): refresh status and results. */
  changed(final: boolean): void;
  onPassagesEmbedded(n: number, textsPerSecond: number): void;
}

export function setupIndexingPanel(hooks: PanelHooks): IndexingPanel {
  const bar = byId<HTMLProgressElement>('progress');
  const status = byId('index-status');
  const stop = byId<HTMLButtonElement>('stop');
  const preview = byId('preview');
  let pending: PreparedFile[] = [];
  let running: AbortController | null = null;
  const controls = ['load-sample', 'file-input', 'clear', 'add-paste', 'export', 'import-input', 'index-preview'].map((id) => byId<HTMLInputElement>(id));
  // A control marked data-locked stays off (export and import need a stored collection).
  const setBusy = (busy: boolean) => controls.forEach((c) => (c.disabled = busy || c.dataset['locked'] === 'true'));

  const report = (label: string) => (p: Progress) => {
    if (p.status !== 'embed' && p.status !== 'store') return;
    bar.hidden = false;
    bar.max = p.total;
    bar.value = p.done;
    if (p.status === 'embed') {
      const eta = p.textsPerSecond > 0 ? (p.total - p.done) / p.textsPerSecond : Infinity;
      hooks.onPassagesEmbedded(p.done, p.textsPerSecond);
      status.textContent = `${label}: embedded ${p.done} of ${p.total} passages (${p.textsPerSecond.toFixed(1)}/s, about ${formatDuration(eta)} left)`;
    } else {
      status.textContent = `${label}: saved ${p.done} of ${p.total} passages`;
      hooks.changed(false);
    }
  };

  const add = async (docs: DocumentInput[], label: string) => {
    setBusy(true);
    hooks.clearError();
    running = new AbortController();
    stop.hidden = hooks.backend.mode === 'lexical';
    try {
      const r = await hooks.backend.add(docs, { onProgress: report(label), signal: running.signal });
      hooks.changed(true);
      if (r.skipped.length) status.textContent += ` · ${r.skipped.length} already indexed`;
      if (r.truncated.length) status.textContent += ` · ${r.truncated.length} cut at the model's token limit`;
    } catch (err) {
      if (isPagesenseError(err, 'CANCELLED')) {
        hooks.changed(true);
        status.textContent += ' · stopped; run the same import again to resume';
      } else {
        hooks.showError(err);
      }
    } finally {
      running = null;
      stop.hidden = true;
      bar.hidden = true;
      setBusy(false);
    }
  };

  const showPreview = (files: PreparedFile[], skipped: string[]) => {
    pending = files.filter((f) => f.passages.length > 0);
    const empty = files.filter((f) => f.passages.length === 0).map((f) => f.name);
    const total = pending.reduce((n, f) => n + f.passages.length, 0);
    byId('preview-summary').textContent =
      `${total} passages from ${pending.length} file${pending.length === 1 ? '' : 's'}` +
      (empty.length ? ` · no text in ${empty.join(', ')}` : '') +
      (skipped.length ? ` · skipped ${skipped.join(', ')} (only .txt, .md and .html are read)` : '');
    byId('preview-list').replaceChildren(
      ...pending.map((f) =>
        el(
          'li',
          {},
          el('strong', {}, f.name),
          ` · ${f.kind} · ${f.passages.length} passages`,
          el(
            'ol',
            { class: 'preview-passages' },
            ...f.passages
              .slice(0, 3)
              .map((p) => el('li', {}, el('span', { class: 'muted' }, p.title ?? ''), ' ', p.text.length > 160 ? `${p.text.slice(0, 160)}…` : p.text)),
            f.passages.length > 3 ? el('li', { class: 'muted' }, `… and ${f.passages.length - 3} more`) : null,
          ),
        ),
      ),
    );
    byId<HTMLButtonElement>('index-preview').textContent = `Index ${total} passages`;
    byId<HTMLButtonElement>('index-preview').disabled = total === 0;
    preview.hidden = false;
  };

  const takeFiles = async (files: File[]) => {
    if (!files.length) return;
    const { prepared, skipped } = await readFiles(files);
    showPreview(prepared, skipped);
  };

  stop.addEventListener('click', () => running?.abort());
  byId('load-sample').addEventListener('click', () => void add([...SAMPLE_DOCUMENTS], 'Sample corpus'));
  byId<HTMLInputElement>('file-input').addEventListener('change', async (e) => {
    const input = e.target as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = '';
    await takeFiles(files);
  });
  const zone = byId('drop-zone');
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dragging');
    void takeFiles(Array.from(e.dataTransfer?.files ?? []));
  });
  byId('add-paste').addEventListener('click', () => {
    const text = byId<HTMLTextAreaElement>('paste').value;
    if (!text.trim()) return hooks.showError(new Error('Nothing to add: the pasted text is empty. Paste some text or Markdown first.'));
    showPreview([prepareFile(`pasted-${Date.now()}.md`, text)], []);
    byId<HTMLTextAreaElement>('paste').value = '';
  });
  byId('index-preview').addEventListener('click', () => {
    const docs = pending.flatMap((f) => f.passages);
    const label = pending.length === 1 ? pending[0]!.name : `${pending.length} files`;
    pending = [];
    preview.hidden = true;
    void add(docs, label);
  });
  byId('cancel-preview').addEventListener('click', () => {
    pending = [];
    preview.hidden = true;
  });

  setBusy(false);
  return {
    add,
    setEnabled: (enabled) => setBusy(!enabled),
  };
}
