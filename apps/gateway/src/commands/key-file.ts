// `node dist/commands/key-file.js create <path>`: writes a new key file (mode 0600) for the keyring.
// `node dist/commands/key-file.js add <path>`: adds a new active key to it, for rotation.
// Prints key ids, never keys.
import { resolve } from 'node:path';
import { addKeyToFile, createKeyFile } from '../plugins/keyring/keyfile.js';
import { runIfMain } from './run.js';

const usage = 'usage: key-file create <path> | key-file add <path>';

async function main(): Promise<void> {
  const [action, file, ...rest] = process.argv.slice(2);
  if (file === undefined || rest.length > 0) throw new Error(usage);
  const path = resolve(file);
  if (action === 'create') {
    const { keyId } = await createKeyFile(path);
    console.log(`key-file: created ${path} with key ${keyId}`);
  } else if (action === 'add') {
    const { keyId } = await addKeyToFile(path);
    console.log(
      `key-file: added key ${keyId} to ${path} as the active key; restart the gateway, then run rotate-keys`,
    );
    if (process.env.BINNACLE_ACTIVE_KEY !== undefined) {
      console.log('key-file: BINNACLE_ACTIVE_KEY is set and overrides the first line; update it');
    }
  } else {
    throw new Error(usage);
  }
}

runIfMain(import.meta.url, 'key-file', main);
