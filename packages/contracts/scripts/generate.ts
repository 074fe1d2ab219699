// Writes the JSON Schema of every event type and the AsyncAPI document to packages/contracts/generated/.
// A unit test fails when the committed files differ from what the zod schemas generate.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { asyncApiDocument, eventJsonSchemas } from '../src/index.js';

const outDir = fileURLToPath(new URL('../generated/', import.meta.url));

export function generatedFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, schema] of Object.entries(eventJsonSchemas())) {
    files[`schemas/${name}`] = `${JSON.stringify(schema, null, 2)}\n`;
  }
  files['asyncapi.json'] = `${JSON.stringify(asyncApiDocument(), null, 2)}\n`;
  return files;
}

async function main(): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(`${outDir}schemas`, { recursive: true });
  const files = generatedFiles();
  for (const [name, text] of Object.entries(files)) await writeFile(`${outDir}${name}`, text);
  console.log(`wrote ${Object.keys(files).length} files to ${outDir}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
