import { readFile, stat } from 'node:fs/promises';
import { SetupError } from './run';

/**
 * A file the scan reads (`--har`, `--merge`) as text, or a SetupError that says what is wrong with the
 * path: missing, a folder, too large (`tooLarge`, said before anything is read), unreadable.
 */
export async function readInputFile(path: string, maxBytes: number, tooLarge: () => string): Promise<string> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new SetupError(`${path} cannot be read: is the path right?`);
  if (info.isDirectory()) throw new SetupError(`${path} is a folder: name the file in it`);
  if (info.size > maxBytes) throw new SetupError(tooLarge());
  return readFile(path, 'utf8').catch((error: Error) => {
    throw new SetupError(`${path} could not be read: ${error.message}`);
  });
}
