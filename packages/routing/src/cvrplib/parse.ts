/** A CVRPLIB (TSPLIB-format) CVRP instance with EUC_2D weights. Nodes are 0-based here. */
export interface CvrplibInstance {
  readonly name: string;
  readonly capacity: number;
  readonly coordinates: readonly (readonly [x: number, y: number])[];
  readonly demands: readonly number[];
  readonly depot: number;
}

/**
 * Reads a `.vrp` file. Headers are `KEY : value` with any whitespace (set X uses tabs and CRLF,
 * set A trailing spaces), then the coordinate, demand and depot sections.
 */
export function parseCvrplib(text: string): CvrplibInstance {
  const headers = new Map<string, string>();
  const sections = new Map<string, number[][]>();
  let section: number[][] | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line === 'EOF') continue;
    const header = /^([A-Z_]+)\s*:\s*(.*)$/.exec(line);
    if (header) {
      headers.set(header[1]!, header[2]!.trim());
      section = undefined;
    } else if (/^[A-Z_]+$/.test(line)) {
      section = [];
      sections.set(line, section);
    } else if (section) {
      section.push(line.split(/\s+/).map(Number));
    }
  }
  const weights = headers.get('EDGE_WEIGHT_TYPE');
  if (weights !== 'EUC_2D') throw new Error(`unsupported EDGE_WEIGHT_TYPE ${weights ?? '(none)'}: only EUC_2D is read`);
  const dimension = Number(headers.get('DIMENSION'));
  const coordinates = rowsById(sections.get('NODE_COORD_SECTION'), dimension, 'NODE_COORD_SECTION');
  const demands = rowsById(sections.get('DEMAND_SECTION'), dimension, 'DEMAND_SECTION');
  const depotId = sections.get('DEPOT_SECTION')?.[0]?.[0];
  if (depotId === undefined || depotId < 1 || depotId > dimension) throw new Error('DEPOT_SECTION names no node');
  return {
    name: headers.get('NAME') ?? 'unnamed',
    capacity: Number(headers.get('CAPACITY')),
    coordinates: coordinates.map((row) => [row[0]!, row[1]!] as const),
    demands: demands.map((row) => row[0]!),
    depot: depotId - 1,
  };
}

/** The rows of a section, ordered by their leading node id (1..dimension), id dropped. */
function rowsById(rows: number[][] | undefined, dimension: number, name: string): number[][] {
  if (!rows || rows.length !== dimension) throw new Error(`${name} must list all ${dimension} nodes`);
  const byId: number[][] = [];
  for (const [id, ...values] of rows) {
    if (id === undefined || !Number.isInteger(id) || id < 1 || id > dimension || values.some(Number.isNaN)) {
      throw new Error(`${name} has a malformed line for node ${String(id)}`);
    }
    byId[id - 1] = values;
  }
  return byId;
}
