/** The `never` check that ends an exhaustive switch: adding a variant without handling it fails to compile. */
export function unreachable(value: never): never {
  throw new Error(`unhandled variant ${JSON.stringify(value)}`);
}
