/**
 * Gathering files from the ways users bring them: a drop (files and whole folders, via the entries API that
 * every current browser has), the file picker and the folder picker (`webkitdirectory`). Names keep the
 * folder path so the user can tell two `all_rum.txt` from two devices apart.
 */
export interface PickedFile {
  name: string;
  blob: Blob;
}

/**
 * Pasted `show` output becomes a file like any other (`pasted-2026-11-22T21-30-05.txt`), so that it is stored
 * byte-exact with its SHA-256 and every fact read from it can name its source.
 */
export function fromPastedText(text: string, now = new Date()): PickedFile {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  return { name: `pasted-${stamp}.txt`, blob: new Blob([text], { type: 'text/plain' }) };
}

export function fromFileList(list: FileList | null): PickedFile[] {
  return Array.from(list ?? [], (f) => ({ name: f.webkitRelativePath || f.name, blob: f }));
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    out.push({ name: entry.fullPath.replace(/^\//, ''), blob: await fileOf(entry as FileSystemFileEntry) });
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries returns at most ~100 entries per call: keep reading until it returns none.
    for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
      for (const child of batch) await walk(child, out);
    }
  }
}

export async function fromDataTransfer(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries = Array.from(transfer.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.length > 0 && entries.every((e) => e !== null)) {
    const out: PickedFile[] = [];
    for (const entry of entries) await walk(entry!, out);
    return out;
  }
  return fromFileList(transfer.files);
}
