// A directory in the Origin Private File System by its path of names; shared by
// the page (listing vector files) and the vector-file worker (reading, writing).
export async function opfsDirectory(path: readonly string[], create: boolean): Promise<FileSystemDirectoryHandle> {
  let dir = await navigator.storage.getDirectory();
  for (const part of path) dir = await dir.getDirectoryHandle(part, { create });
  return dir;
}
